package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;

/** Drives the local server over HTTP as a user would: S3 uploads, API calls, polling. */
class EndToEndTest {
    static final String SCHEMA = """
            {"type":"record","name":"Users","fields":[
              {"name":"USER_ID","type":"string"},{"name":"AGE","type":["null","int"],"default":null},
              {"name":"PLAN","type":"string"}]}""";
    private static LocalRuntime runtime;
    private static ApiClient api;
    private static String datasetArn;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0));
        api = new ApiClient(runtime.apiEndpoint());
        datasetArn = api.ok("intake", "CreateDataset", Map.of("name", "users", "schema", SCHEMA,
                "keyFields", List.of("USER_ID"))).get("datasetArn").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    /** Files go under exports/, not the dataset's own folder users/, whose uploads would import themselves. */
    private static void upload(String key, byte[] bytes) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String csv(int from, int to, String plan) {
        StringBuilder sb = new StringBuilder("USER_ID,AGE,PLAN\n");
        for (int i = from; i < to; i++) {
            sb.append("u").append(i).append(',').append(20 + i % 50).append(",\"").append(plan).append("\"\n");
        }
        return sb.toString();
    }

    private static String jsonl(int from, int to, String plan) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("{\"USER_ID\":\"u").append(i).append("\",\"AGE\":").append(20 + i % 50)
                    .append(",\"PLAN\":\"").append(plan).append("\"}\n");
        }
        return sb.toString();
    }

    /** Starts an import and waits for it; returns Intake's view (with statistics). */
    private static JsonNode importAndWait(String name, String location, String mode, Map<String, Object> extra) throws Exception {
        var request = new java.util.HashMap<String, Object>(Map.of("jobName", name, "datasetArn", datasetArn,
                "dataSource", Map.of("dataLocation", location), "importMode", mode));
        request.putAll(extra);
        String arn = api.ok("personalize", "CreateDatasetImportJob", request).get("datasetImportJobArn").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.ok("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn", arn))
                    .get("datasetImportJob");
            String status = job.get("status").asText();
            assertThat(status).isIn("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "CREATE FAILED");
            if (status.equals("ACTIVE") || status.equals("CREATE FAILED")) {
                return api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", arn)).get("importJob");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("import " + name + " did not finish");
    }

    private static JsonNode record(String userId) throws Exception {
        var reply = api.call("intake", "GetRecord", Map.of("datasetArn", datasetArn, "key", Map.of("USER_ID", userId)));
        return reply.ok() ? reply.body().get("record") : null;
    }

    private static long stat(JsonNode job, String name) {
        return job.get("statistics").get(name).asLong();
    }

    @Test
    void theWholeLifeOfADataset() throws Exception {
        upload("exports/users/v1/part-1.csv", csv(0, 40, "free").getBytes(StandardCharsets.UTF_8));
        upload("exports/users/v1/part-2.csv.gz", gzip(csv(40, 70, "free")));
        upload("exports/users/v1/part-3.jsonl", jsonl(70, 90, "pro").getBytes(StandardCharsets.UTF_8));
        upload("exports/users/v1/part-4.jsonl.gz", gzip(jsonl(90, 100, "pro")));

        JsonNode full = importAndWait("users-full-1", "s3://intake-landing/exports/users/v1/", "FULL", Map.of());
        assertThat(full.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(stat(full, "recordsAdded")).isEqualTo(100);
        assertThat(stat(full, "filesIngested")).isEqualTo(4);
        assertThat(record("u95").get("PLAN").asText()).isEqualTo("pro");
        assertThat(record("u5").get("AGE").asInt()).isEqualTo(25);

        JsonNode again = importAndWait("users-incr-same", "s3://intake-landing/exports/users/v1/", "INCREMENTAL", Map.of());
        assertThat(stat(again, "recordsUnchanged")).isEqualTo(100);
        assertThat(stat(again, "recordsAdded") + stat(again, "recordsUpdated")).isZero();

        upload("exports/users/v2/changes.csv", csv(30, 35, "team").getBytes(StandardCharsets.UTF_8));
        JsonNode changed = importAndWait("users-incr-changed", "s3://intake-landing/exports/users/v2/changes.csv", "INCREMENTAL",
                Map.of());
        assertThat(stat(changed, "recordsUpdated")).isEqualTo(5);
        assertThat(record("u31").get("PLAN").asText()).isEqualTo("team");

        upload("exports/users/v3/few.jsonl", jsonl(0, 10, "free").getBytes(StandardCharsets.UTF_8));
        JsonNode fewer = importAndWait("users-full-fewer", "s3://intake-landing/exports/users/v3/", "FULL", Map.of());
        assertThat(stat(fewer, "recordsUnchanged")).isEqualTo(10);
        assertThat(record("u5")).isNotNull();
        assertThat(record("u50")).as("a FULL import replaces the bulk data").isNull();

        // Bad rows: counted and reported under the threshold...
        upload("exports/users/v4/some-bad.csv", (csv(0, 19, "free") + "u77,old,free\n").getBytes(StandardCharsets.UTF_8));
        JsonNode someBad = importAndWait("users-some-bad", "s3://intake-landing/exports/users/v4/some-bad.csv", "FULL", Map.of());
        assertThat(someBad.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(stat(someBad, "recordsFailed")).isEqualTo(1);
        assertThat(someBad.get("errorReportLocation").asText()).isEqualTo("s3://intake-results/error-reports/users-some-bad.csv");

        // ...and failing the job over it, leaving the dataset as it was.
        JsonNode tooBad = importAndWait("users-too-bad", "s3://intake-landing/exports/users/v4/some-bad.csv", "FULL",
                Map.of("maxFailedRowsPercent", 1));
        assertThat(tooBad.get("status").asText()).isEqualTo("CREATE FAILED");
        assertThat(tooBad.get("failureReason").asText()).isEqualTo("1 of 20 rows failed validation (5.0%), more than the "
                + "job's limit of 1%. First errors: s3://intake-landing/exports/users/v4/some-bad.csv line 21: field 'AGE' has value "
                + "'old', which is not an int. All errors: s3://intake-results/error-reports/users-too-bad.csv");
        assertThat(record("u18")).isNotNull();

        JsonNode published = importAndWait("users-published", "s3://intake-landing/exports/users/v3/", "INCREMENTAL",
                Map.of("publishAttributionMetricsToS3", true));
        assertThat(published.get("publishAttributionMetricsToS3").asBoolean()).isTrue();
        assertThat(published.get("statisticsLocation").asText()).isEqualTo("s3://intake-results/statistics/users-published.json");
        String report = runtime.s3().client().getObjectAsBytes(r -> r.bucket(LocalRuntime.RESULTS_BUCKET)
                .key("statistics/users-published.json")).asUtf8String();
        assertThat(report).contains("\"status\":\"ACTIVE\"", "\"unchanged\":10");

        JsonNode missing = importAndWait("users-missing", "s3://intake-landing/exports/users/nowhere/", "FULL", Map.of());
        assertThat(missing.get("status").asText()).isEqualTo("CREATE FAILED");
        assertThat(missing.get("failureReason").asText())
                .isEqualTo("No file found at s3://intake-landing/exports/users/nowhere/ (the folder is empty or does not exist)");
        assertThat(record("u18")).isNotNull();

        String other = api.ok("intake", "CreateDataset", Map.of("name", "short-lived", "schema", SCHEMA,
                "keyFields", List.of("USER_ID"))).get("datasetArn").asText();
        assertThat(api.ok("intake", "ListDatasets", Map.of("maxResults", 1)).has("nextToken")).isTrue();
        assertThat(api.call("intake", "DeleteDataset", Map.of("datasetArn", other)).ok()).isTrue();
        assertThat(api.call("intake", "DescribeDataset", Map.of("datasetArn", other)).errorType())
                .isEqualTo("ResourceNotFoundException");
    }

    @Test
    void listingPagesWithSignedTokens() throws Exception {
        for (String name : List.of("page-a", "page-b", "page-c")) {
            api.ok("intake", "CreateDataset", Map.of("name", name, "schema", SCHEMA, "keyFields", List.of("USER_ID")));
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        String token = null;
        do {
            var request = new java.util.HashMap<String, Object>(Map.of("maxResults", 2));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode page = api.ok("intake", "ListDatasets", request);
            page.get("datasets").forEach(d -> names.add(d.get("name").asText()));
            token = page.has("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        assertThat(names).contains("page-a", "page-b", "page-c").doesNotHaveDuplicates().isSorted();

        JsonNode first = api.ok("intake", "ListDatasets", Map.of("maxResults", 1));
        String token0 = first.get("nextToken").asText();
        String tampered = (token0.startsWith("A") ? "B" : "A") + token0.substring(1);
        var refused = api.call("intake", "ListDatasets", Map.of("nextToken", tampered));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorType()).isEqualTo("InvalidNextTokenException");
        assertThat(api.call("intake", "ListDatasets", Map.of("maxResults", 101)).errorType()).isEqualTo("InvalidInputException");
    }

    @Test
    void invalidRequestsGetTheModelsErrorShape() throws Exception {
        var reply = api.call("personalize", "CreateDatasetImportJob", Map.of("jobName", "bad name!", "datasetArn", datasetArn,
                "dataSource", Map.of("dataLocation", "s3://intake-landing/x.csv")));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorType()).isEqualTo("InvalidInputException");
        assertThat(reply.body().get("__type").asText()).isEqualTo("InvalidInputException");
        assertThat(reply.body().get("message").asText()).startsWith("1 validation error detected: Value 'bad name!' at 'jobName'");

        var notJson = api.call("personalize", "DescribeDatasetImportJob", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorType()).isEqualTo("SerializationException");

        var unknown = api.call("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/nope"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(unknown.body().get("message").asText()).isEqualTo("Import job 'nope' does not exist");

        var duplicate = api.call("intake", "CreateDataset", Map.of("name", "users", "schema", SCHEMA, "keyFields", List.of("USER_ID")));
        assertThat(duplicate.errorType()).isEqualTo("ResourceAlreadyExistsException");

        var badSchema = api.call("intake", "CreateDataset", Map.of("name", "broken", "schema", "{\"type\":\"record\"}",
                "keyFields", List.of("ID")));
        assertThat(badSchema.errorType()).isEqualTo("InvalidInputException");
        assertThat(api.call("intake", "DescribeDataset", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/broken")).errorType())
                .as("a refused request leaves nothing behind").isEqualTo("ResourceNotFoundException");

        var huge = api.call("intake", "CreateDataset", Map.of("name", "huge", "schema", "x".repeat(300_000),
                "keyFields", List.of("ID")));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.errorType()).isEqualTo("RequestEntityTooLargeException");

        var unknownOperation = api.call("personalize", "DeleteEverything", Map.of());
        assertThat(unknownOperation.status()).isEqualTo(400);
        assertThat(unknownOperation.errorType()).isEqualTo("UnknownOperationException");
    }

    @Test
    void locationsOutsideTheImportSourcesAndRolesNotAllowedAreRefusedAndLeaveNoJob() throws Exception {
        runtime.s3().createBucket("intake-landing-evil");
        runtime.s3().client().putObject(r -> r.bucket("intake-landing-evil").key("x.csv"),
                RequestBody.fromString(csv(0, 2, "free")));
        upload("refused/x.csv", csv(0, 2, "free").getBytes(StandardCharsets.UTF_8));
        Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("s3://intake-landing-evil/x.csv", "may not read s3://intake-landing-evil/x.csv: no allowed import source"
                + " holds bucket 'intake-landing-evil', key 'x.csv'. An operator can allow the bucket or a folder of it with"
                + " the importSources setting");
        hostile.put("s3://intake-results/error-reports/", "may not read s3://intake-results/error-reports/");
        hostile.put("s3://intake-landing/refused/../x.csv", "has a '.' or '..' segment");
        hostile.put("s3://INTAKE-LANDING/refused/x.csv", "dataLocation names an invalid bucket 'INTAKE-LANDING'");
        int i = 0;
        for (var entry : hostile.entrySet()) {
            String name = "refused-" + i++;
            var reply = api.call("personalize", "CreateDatasetImportJob", Map.of("jobName", name, "datasetArn", datasetArn,
                    "dataSource", Map.of("dataLocation", entry.getKey())));
            assertThat(reply.status()).as(entry.getKey()).isEqualTo(400);
            assertThat(reply.errorType()).as(entry.getKey()).isEqualTo("InvalidInputException");
            assertThat(reply.body().get("message").asText()).as(entry.getKey()).contains(entry.getValue());
            assertThat(api.call("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn",
                    "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + name)).errorType())
                    .as("no job was stored for %s", entry.getKey()).isEqualTo("ResourceNotFoundException");
        }
        String role = "arn:aws:iam::000000000000:role/reader";
        var withRole = api.call("personalize", "CreateDatasetImportJob", Map.of("jobName", "refused-role", "datasetArn",
                datasetArn, "dataSource", Map.of("dataLocation", "s3://intake-landing/refused/x.csv"), "roleArn", role));
        assertThat(withRole.status()).isEqualTo(400);
        assertThat(withRole.errorType()).isEqualTo("InvalidInputException");
        assertThat(withRole.body().get("message").asText()).isEqualTo("Import jobs of this deployment may not use the role "
                + role + ". An operator can allow it with the importRoleArns setting; a job without roleArn reads as"
                + " Intake's own ingest roles");
        assertThat(api.call("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/refused-role")).errorType())
                .isEqualTo("ResourceNotFoundException");
    }

    @Test
    void theStockAwsSdkClientWorksAgainstTheLocalEndpoint() throws Exception {
        String sdkDataset = api.ok("intake", "CreateDataset", Map.of("name", "sdk-users", "schema", SCHEMA,
                "keyFields", List.of("USER_ID"))).get("datasetArn").asText();
        try (PersonalizeClient personalize = PersonalizeClient.builder().endpointOverride(runtime.apiEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            upload("sdk/users.csv", csv(0, 3, "free").getBytes(StandardCharsets.UTF_8));
            String arn = personalize.createDatasetImportJob(r -> r.jobName("sdk-job").datasetArn(sdkDataset)
                    .dataSource(d -> d.dataLocation("s3://intake-landing/sdk/users.csv"))
                    .importMode("FULL")).datasetImportJobArn();
            var job = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(arn)).datasetImportJob();
            assertThat(job.jobName()).isEqualTo("sdk-job");
            assertThat(job.status()).isIn("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE");
            assertThat(job.creationDateTime()).isNotNull();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> personalize.describeDatasetImportJob(
                    r -> r.datasetImportJobArn(arn + "-missing"))).isInstanceOf(ResourceNotFoundException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> personalize.createDatasetImportJob(r -> r.jobName("sdk-job")
                    .datasetArn(sdkDataset).dataSource(d -> d.dataLocation("ftp://nope")))).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void localEndpointsListenOnLoopbackOnly() {
        assertThat(runtime.apiEndpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(runtime.s3Endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + runtime.s3Endpoint().getPort()));
    }
}
