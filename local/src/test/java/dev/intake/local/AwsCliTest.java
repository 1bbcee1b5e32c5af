package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The real AWS CLI ({@code aws}, v1 or v2) against the local runtime, one realistic flow per dialect
 * and one error each, as a user runs it: {@code --endpoint-url}, JSON output, credentials and region
 * from the environment, and empty config and credentials files so a developer's own settings do not
 * take part. Skipped, saying why, where {@code aws} is missing; with {@code CI} set it must be there
 * ({@code .ci/run} installs it) and its absence fails.
 *
 * <p>Only members that CLIs of some years back know are used and required (an older CLI's model
 * lacks e.g. Forecast's ImportMode, and drops it from the output).
 *
 * <p>CLI v1 prints timestamps as the service sent them (epoch seconds), v2 as ISO-8601 by default:
 * {@link #time} reads both, and one call is made with {@code cli_timestamp_format = iso8601} so both
 * forms are read on whichever version is installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsCliTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/cli-reader";
    private static final String PZ = "arn:aws:personalize:us-east-1:000000000000:";
    private static final String FC = "arn:aws:forecast:us-east-1:000000000000:";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path home;
    private Path aws;
    private int majorVersion;
    private LocalRuntime runtime;
    private Path config;
    private Path credentials;

    record Run(int exit, String stdout, String stderr) {
    }

    @BeforeAll
    void start() throws Exception {
        aws = onPath("aws");
        if (aws == null) {
            return; // each test says so (a class-level skip loses its reason in surefire's report)
        }
        config = Files.writeString(home.resolve("config"), "");
        credentials = Files.writeString(home.resolve("credentials"), "");
        Run version = run(List.of(aws.toString(), "--version"), config);
        Matcher m = Pattern.compile("aws-cli/(\\d+)\\.").matcher(version.stdout() + version.stderr());
        assertThat(m.find()).as("aws --version: " + version).isTrue();
        majorVersion = Integer.parseInt(m.group(1));
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(ROLE));
    }

    @BeforeEach
    void requireTheCli() {
        if (aws == null) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                fail("CI is set and the AWS CLI (aws) is not on the PATH; .ci/run installs it (Debian package awscli)");
            }
            Assumptions.abort("AWS CLI test skipped: aws is not on the PATH (install the AWS CLI, v1 or v2, to run it)");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs a command with only the environment this test gives the CLI (no AWS_* of the caller's). */
    private Run run(List<String> command, Path configFile) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", configFile.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials == null ? configFile.toString() : credentials.toString());
        env.put("AWS_PAGER", "");
        env.put("AWS_MAX_ATTEMPTS", "1"); // an error is answered once, not retried
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        if (!process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command + " did not end within " + CALL_TIMEOUT);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** {@code aws <service> <operation> <args> --endpoint-url ... --output json} (and no pager, which v1 has not). */
    private Run cli(Path configFile, String service, String operation, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(aws.toString(), service, operation));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", runtime.apiEndpoint().toString(), "--output", "json"));
        if (majorVersion >= 2) {
            command.add("--no-cli-pager");
        }
        return run(command, configFile);
    }

    private JsonNode ok(String service, String operation, String... args) throws Exception {
        return okWith(config, service, operation, args);
    }

    private JsonNode okWith(Path configFile, String service, String operation, String... args) throws Exception {
        Run result = cli(configFile, service, operation, args);
        assertThat(result.exit()).as(service + " " + operation + ": " + result).isZero();
        return result.stdout().isBlank() ? Json.MAPPER.createObjectNode() : Json.parse(result.stdout());
    }

    /** A refused call: the CLI's exit status for a service error (255 in v1, 254 in v2) and its stderr. */
    private String refused(String service, String operation, String... args) throws Exception {
        Run result = cli(config, service, operation, args);
        assertThat(result.exit()).as(service + " " + operation + ": " + result).isIn(254, 255);
        assertThat(result.stdout()).isBlank();
        return result.stderr();
    }

    /** A timestamp as the CLI prints it: epoch seconds (v1's default) or ISO-8601 (v2's default). */
    static Instant time(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return OffsetDateTime.parse(value.asText()).toInstant();
    }

    private void put(String key, String text) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key),
                RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    /**
     * Waits for a job to end through Intake's own API in this process (each CLI call starts an
     * interpreter, about a second), then answers the CLI's DescribeDatasetImportJob.
     */
    private JsonNode awaitEnd(String service, String jobArn) throws Exception {
        String name = jobArn.substring(jobArn.lastIndexOf('/') + 1);
        ApiClient api = new ApiClient(runtime.apiEndpoint());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!List.of("ACTIVE", "CREATE FAILED", "CREATE STOPPED").contains(api.ok("intake", "DescribeImportJob",
                Map.of("datasetImportJobArn", PZ + "dataset-import-job/" + name)).get("importJob").get("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(jobArn + " did not end");
            }
            Thread.sleep(50);
        }
        JsonNode answer = ok(service, "describe-dataset-import-job", "--dataset-import-job-arn", jobArn);
        return service.equals("personalize") ? answer.get("datasetImportJob") : answer;
    }

    /** A DataZone call: its rest paths are under {@code /datazone} of the local server. */
    private Run dataZone(String operation, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(aws.toString(), "datazone", operation));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", runtime.apiEndpoint() + "/datazone", "--output", "json"));
        if (majorVersion >= 2) {
            command.add("--no-cli-pager");
        }
        return run(command, config);
    }

    private JsonNode dataZoneOk(String operation, String... args) throws Exception {
        Run result = dataZone(operation, args);
        assertThat(result.exit()).as("datazone " + operation + ": " + result).isZero();
        return Json.parse(result.stdout());
    }

    @Test
    void dataZoneDomainDataSourceAndRunsThroughTheCli() throws Exception {
        new ApiClient(runtime.apiEndpoint()).ok("intake", "CreateDataset", Map.of("name", "cli_dz",
                "schema", EndToEndTest.SCHEMA, "keyFields", List.of("USER_ID")));
        put("cli-dz/users.csv", "USER_ID,AGE,PLAN\nu1,30,free\nu2,40,pro\n");
        String domain = dataZoneOk("create-domain", "--name", "cli", "--domain-execution-role", ROLE).get("id").asText();
        assertThat(dataZoneOk("get-domain", "--identifier", domain).get("status").asText()).isEqualTo("AVAILABLE");
        String source = dataZoneOk("create-data-source", "--domain-identifier", domain, "--project-identifier", "p1",
                "--name", "users", "--type", "S3", "--configuration", "{\"glueRunConfiguration\": {"
                        + "\"relationalFilterConfigurations\": [{\"databaseName\": \"intake-landing\", \"schemaName\":"
                        + " \"cli_dz\", \"filterExpressions\": [{\"type\": \"INCLUDE\", \"expression\": \"cli-dz/\"}]}]}}")
                .get("id").asText();
        String run = dataZoneOk("start-data-source-run", "--domain-identifier", domain, "--data-source-identifier", source)
                .get("id").asText();
        ApiClient api = new ApiClient(runtime.apiEndpoint());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", PZ + "dataset-import-job/" + run))
                .get("importJob").get("status").asText().equals("ACTIVE")) {
            assertThat(System.nanoTime()).as("run " + run + " ended").isLessThan(deadline);
            Thread.sleep(50);
        }
        JsonNode ended = dataZoneOk("get-data-source-run", "--domain-identifier", domain, "--identifier", run);
        assertThat(ended.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(ended.get("runStatisticsForAssets").get("added").asInt()).isEqualTo(1);
        assertThat(time(ended.get("createdAt"))).isBefore(Instant.now());
        assertThat(dataZoneOk("list-data-source-run-activities", "--domain-identifier", domain, "--identifier", run)
                .get("items").get(0).get("dataAssetStatus").asText()).isEqualTo("SUCCEEDED_CREATED");
        Run missing = dataZone("get-domain", "--identifier", "dzd_missing");
        assertThat(missing.exit()).isIn(254, 255);
        assertThat(missing.stderr()).contains("ResourceNotFoundException", "dzd_missing");
    }

    @Test
    void lookoutForEquipmentFromDatasetToIngestionThroughTheCli() throws Exception {
        String schema = "{\"Components\":[{\"ComponentName\":\"Pump\",\"Columns\":[{\"Name\":\"Timestamp\","
                + "\"Type\":\"DATETIME\"},{\"Name\":\"Flow\",\"Type\":\"DOUBLE\"}]}]}";
        JsonNode created = ok("lookoutequipment", "create-dataset", "--dataset-name", "cli_pump",
                "--dataset-schema", Json.MAPPER.writeValueAsString(Map.of("InlineDataSchema", schema)));
        assertThat(created.get("DatasetName").asText()).isEqualTo("cli_pump");
        assertThat(created.get("Status").asText()).isEqualTo("CREATED");
        put("exports/cli-pump/Pump/2024-01.csv", "Timestamp,Flow\n2024-01-01 00:00:00,1.5\n2024-01-01 00:10:00,1.75\n");
        put("exports/cli-pump/notes.txt", "not data");

        // the CLI fills in ClientToken itself
        String jobId = ok("lookoutequipment", "start-data-ingestion-job", "--dataset-name", "cli_pump", "--role-arn", ROLE,
                "--ingestion-input-configuration", "{\"S3InputConfiguration\":{\"Bucket\":\"" + LocalRuntime.LANDING_BUCKET
                        + "\",\"Prefix\":\"exports/cli-pump/\"}}").get("JobId").asText();
        ApiClient api = new ApiClient(runtime.apiEndpoint());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!List.of("ACTIVE", "FAILED").contains(api.ok("intake", "DescribeImportJob",
                Map.of("datasetImportJobArn", PZ + "dataset-import-job/" + jobId)).get("importJob").get("status").asText())) {
            assertThat(System.nanoTime()).as(jobId + " ends in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        JsonNode job = ok("lookoutequipment", "describe-data-ingestion-job", "--job-id", jobId);
        assertThat(job.get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(job.get("RoleArn").asText()).isEqualTo(ROLE);
        assertThat(job.get("IngestedFilesSummary").get("TotalNumberOfFiles").asInt()).isEqualTo(2);
        assertThat(job.get("IngestedFilesSummary").get("IngestedNumberOfFiles").asInt()).isEqualTo(1);
        assertThat(job.get("IngestedFilesSummary").get("DiscardedFiles").get(0).get("Key").asText())
                .isEqualTo("exports/cli-pump/notes.txt");
        assertThat(time(job.get("DataStartTime"))).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(time(job.get("DataEndTime"))).isEqualTo(Instant.parse("2024-01-01T00:10:00Z"));
        assertThat(ok("lookoutequipment", "list-data-ingestion-jobs", "--dataset-name", "cli_pump")
                .get("DataIngestionJobSummaries").get(0).get("JobId").asText()).isEqualTo(jobId);
        assertThat(ok("lookoutequipment", "describe-dataset", "--dataset-name", "cli_pump").get("Status").asText())
                .isEqualTo("ACTIVE");
        assertThat(refused("lookoutequipment", "describe-dataset", "--dataset-name", "cli_no_such"))
                .contains("ResourceNotFoundException");
    }

    @Test
    void timestampsAreReadInBothOfTheCliFormats() {
        assertThat(time(Json.MAPPER.getNodeFactory().numberNode(new BigDecimal("1767225600.123"))))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
        assertThat(time(Json.MAPPER.getNodeFactory().textNode("2026-01-01T01:00:00.123000+01:00")))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
        assertThat(time(Json.MAPPER.getNodeFactory().textNode("2026-01-01T00:00:00+00:00")))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void personalizeFromSchemaToImportTagsAndDeletion() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String schema = "{\"type\":\"record\",\"name\":\"Users\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
                + "{\"name\":\"AGE\",\"type\":[\"null\",\"int\"],\"default\":null}],\"version\":\"1.0\"}";
        String schemaArn = ok("personalize", "create-schema", "--name", "cli-users", "--schema", schema).get("schemaArn").asText();
        assertThat(schemaArn).isEqualTo(PZ + "schema/cli-users");
        assertThat(ok("personalize", "describe-schema", "--schema-arn", schemaArn).get("schema").get("schema").asText())
                .isEqualTo(schema);

        String group = ok("personalize", "create-dataset-group", "--name", "cli-shop", "--tags", "tagKey=team,tagValue=recs")
                .get("datasetGroupArn").asText();
        assertThat(group).isEqualTo(PZ + "dataset-group/cli-shop");
        JsonNode describedGroup = ok("personalize", "describe-dataset-group", "--dataset-group-arn", group).get("datasetGroup");
        assertThat(describedGroup.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(time(describedGroup.get("creationDateTime"))).isAfter(before).isBefore(Instant.now().plusSeconds(1));

        String dataset = ok("personalize", "create-dataset", "--name", "cli-users", "--dataset-group-arn", group,
                "--dataset-type", "Users", "--schema-arn", schemaArn).get("datasetArn").asText();
        assertThat(dataset).isEqualTo(PZ + "dataset/cli-shop/USERS");
        JsonNode describedDataset = ok("personalize", "describe-dataset", "--dataset-arn", dataset).get("dataset");
        assertThat(describedDataset.get("datasetType").asText()).isEqualTo("USERS");
        assertThat(describedDataset.get("schemaArn").asText()).isEqualTo(schemaArn);
        assertThat(describedDataset.get("datasetGroupArn").asText()).isEqualTo(group);

        put("cli/users.csv", "USER_ID,AGE\nu1,31\nu2,\nu3,45\n");
        String job = ok("personalize", "create-dataset-import-job", "--job-name", "cli-users-1", "--dataset-arn", dataset,
                "--data-source", "{\"dataLocation\": \"s3://intake-landing/cli/users.csv\"}", "--import-mode", "FULL",
                "--role-arn", ROLE, // required by the models of CLIs before 2023
                "--tags", "tagKey=run,tagValue=1").get("datasetImportJobArn").asText();
        assertThat(job).isEqualTo(PZ + "dataset-import-job/cli-users-1");
        JsonNode described = awaitEnd("personalize", job);
        assertThat(described.get("status").asText()).as(described.toString()).isEqualTo("ACTIVE");
        assertThat(described.get("jobName").asText()).isEqualTo("cli-users-1");
        assertThat(described.get("datasetImportJobArn").asText()).isEqualTo(job);
        assertThat(described.get("datasetArn").asText()).isEqualTo(dataset);
        assertThat(described.get("dataSource").get("dataLocation").asText()).isEqualTo("s3://intake-landing/cli/users.csv");
        assertThat(described.get("importMode").asText()).isEqualTo("FULL");
        assertThat(described.get("roleArn").asText()).isEqualTo(ROLE);
        Instant created = time(described.get("creationDateTime"));
        assertThat(created).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(time(described.get("lastUpdatedDateTime"))).isAfterOrEqualTo(created);
        // the same call with v2's default timestamp format reads the same instant
        Path iso = Files.writeString(home.resolve("iso-config"), "[default]\ncli_timestamp_format = iso8601\n");
        JsonNode isoJob = okWith(iso, "personalize", "describe-dataset-import-job", "--dataset-import-job-arn", job)
                .get("datasetImportJob");
        assertThat(isoJob.get("creationDateTime").isTextual()).isTrue();
        assertThat(time(isoJob.get("creationDateTime"))).isEqualTo(created);

        JsonNode listed = ok("personalize", "list-dataset-import-jobs", "--dataset-arn", dataset).get("datasetImportJobs");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("jobName").asText()).isEqualTo("cli-users-1");
        assertThat(listed.get(0).get("datasetImportJobArn").asText()).isEqualTo(job);
        assertThat(listed.get(0).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(time(listed.get(0).get("creationDateTime"))).isEqualTo(created);

        // the records, as imported
        JsonNode record = new ApiClient(runtime.apiEndpoint()).ok("intake", "GetRecord",
                Map.of("datasetArn", dataset, "key", Map.of("USER_ID", "u3"))).get("record");
        assertThat(record.get("AGE").asInt()).isEqualTo(45);

        ok("personalize", "tag-resource", "--resource-arn", job, "--tags", "tagKey=owner,tagValue=cli");
        assertThat(ok("personalize", "list-tags-for-resource", "--resource-arn", job).get("tags"))
                .containsExactlyInAnyOrder(Json.MAPPER.valueToTree(Map.of("tagKey", "run", "tagValue", "1")),
                        Json.MAPPER.valueToTree(Map.of("tagKey", "owner", "tagValue", "cli")));
        ok("personalize", "untag-resource", "--resource-arn", job, "--tag-keys", "run");
        assertThat(ok("personalize", "list-tags-for-resource", "--resource-arn", job).get("tags"))
                .isEqualTo(Json.MAPPER.valueToTree(List.of(Map.of("tagKey", "owner", "tagValue", "cli"))));

        ok("personalize", "delete-dataset", "--dataset-arn", dataset);
        awaitDatasetGone(dataset);
        ok("personalize", "delete-dataset-group", "--dataset-group-arn", group);
        ok("personalize", "delete-schema", "--schema-arn", schemaArn);
        assertThat(refused("personalize", "describe-schema", "--schema-arn", schemaArn))
                .contains("(ResourceNotFoundException)").contains("DescribeSchema");
    }

    /** Deleting (DELETE PENDING, DELETE IN_PROGRESS) until DescribeDataset says ResourceNotFoundException. */
    private void awaitDatasetGone(String dataset) throws Exception {
        ApiClient api = new ApiClient(runtime.apiEndpoint());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        ApiClient.Reply reply;
        while ((reply = api.call("personalize", "DescribeDataset", Map.of("datasetArn", dataset))).ok()) {
            assertThat(reply.body().get("dataset").get("status").asText()).isIn("DELETE PENDING", "DELETE IN_PROGRESS");
            if (System.nanoTime() > deadline) {
                throw new AssertionError(dataset + " was not deleted");
            }
            Thread.sleep(50);
        }
        assertThat(reply.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(refused("personalize", "describe-dataset", "--dataset-arn", dataset)).contains("(ResourceNotFoundException)");
    }

    @Test
    void personalizeErrorsReachTheCliWithTheirCode() throws Exception {
        String stderr = refused("personalize", "describe-dataset", "--dataset-arn", PZ + "dataset/cli-none/USERS");
        assertThat(stderr).contains("An error occurred (ResourceNotFoundException) when calling the DescribeDataset operation")
                .contains("cli-none");
        assertThat(refused("personalize", "create-dataset-group", "--name", "bad name"))
                .contains("(InvalidInputException)").contains("Member must satisfy regular expression pattern");
    }

    @Test
    void forecastFromDatasetToImportsListedByFiltersStoppedAndDeleted() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String schema = "{\"Attributes\": [{\"AttributeName\": \"item_id\", \"AttributeType\": \"string\"},"
                + " {\"AttributeName\": \"timestamp\", \"AttributeType\": \"timestamp\"},"
                + " {\"AttributeName\": \"demand\", \"AttributeType\": \"float\"}]}";
        String dataset = ok("forecast", "create-dataset", "--dataset-name", "cli_sales", "--domain", "RETAIL",
                "--dataset-type", "TARGET_TIME_SERIES", "--data-frequency", "D", "--schema", schema,
                "--tags", "Key=team,Value=demand").get("DatasetArn").asText();
        assertThat(dataset).isEqualTo(FC + "dataset/cli_sales");
        JsonNode describedDataset = ok("forecast", "describe-dataset", "--dataset-arn", dataset);
        assertThat(describedDataset.get("Schema")).isEqualTo(Json.parse(schema));
        assertThat(describedDataset.get("DataFrequency").asText()).isEqualTo("D");
        assertThat(describedDataset.get("Status").asText()).isEqualTo("ACTIVE");

        String group = ok("forecast", "create-dataset-group", "--dataset-group-name", "cli_retail", "--domain", "RETAIL",
                "--dataset-arns", dataset).get("DatasetGroupArn").asText();
        JsonNode describedGroup = ok("forecast", "describe-dataset-group", "--dataset-group-arn", group);
        assertThat(describedGroup.get("DatasetArns")).isEqualTo(Json.MAPPER.valueToTree(List.of(dataset)));
        assertThat(describedGroup.get("Status").asText()).isEqualTo("ACTIVE");

        put("exports/cli/sales.csv", "item_id,timestamp,demand\ni1,2026-01-15 09:30:00,3\ni2,2026-01-15 10:00:00,4.5\n");
        StringBuilder big = new StringBuilder("item_id,timestamp,demand\n");
        for (int i = 0; i < 200_000; i++) { // long enough to still run while the next job is stopped
            big.append('i').append(i).append(",2026-01-01 00:00:00,1\n");
        }
        put("exports/cli/big.csv", big.toString());
        String source = "{\"S3Config\": {\"Path\": \"s3://intake-landing/exports/cli/sales.csv\", \"RoleArn\": \"" + ROLE + "\"}}";
        String job = ok("forecast", "create-dataset-import-job", "--dataset-import-job-name", "cli_sales_1",
                "--dataset-arn", dataset, "--data-source", source, "--time-zone", "America/New_York",
                "--tags", "Key=run,Value=1").get("DatasetImportJobArn").asText();
        assertThat(job).isEqualTo(FC + "dataset-import-job/cli_sales/cli_sales_1");
        JsonNode described = awaitEnd("forecast", job);
        assertThat(described.get("Status").asText()).as(described.toString()).isEqualTo("ACTIVE");
        assertThat(described.get("DatasetImportJobName").asText()).isEqualTo("cli_sales_1");
        assertThat(described.get("DatasetArn").asText()).isEqualTo(dataset);
        assertThat(described.get("DataSource")).isEqualTo(Json.parse(source));
        assertThat(described.get("TimestampFormat").asText()).isEqualTo("yyyy-MM-dd HH:mm:ss");
        assertThat(described.get("TimeZone").asText()).isEqualTo("America/New_York");
        assertThat(described.get("UseGeolocationForTimeZone").asBoolean()).isFalse();
        assertThat(described.get("Format").asText()).isEqualTo("CSV");
        if (described.has("ImportMode")) { // a CLI whose model predates ImportMode (2023) drops it
            assertThat(described.get("ImportMode").asText()).isEqualTo("FULL");
        }
        assertThat(described.get("DataSize").asDouble()).isPositive();
        Instant created = time(described.get("CreationTime"));
        assertThat(created).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(time(described.get("LastModificationTime"))).isAfterOrEqualTo(created);
        // stored as instants in UTC: 09:30 in New York is 14:30Z
        JsonNode record = new ApiClient(runtime.apiEndpoint()).ok("intake", "GetRecord", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/cli_sales",
                "key", Map.of("item_id", "i1", "timestamp", "2026-01-15T14:30:00Z"))).get("record");
        assertThat(record.get("demand").asDouble()).isEqualTo(3.0);

        // a long import, and one queued behind it that is stopped before it starts
        String bigSource = "{\"S3Config\": {\"Path\": \"s3://intake-landing/exports/cli/big.csv\", \"RoleArn\": \"" + ROLE + "\"}}";
        String running = ok("forecast", "create-dataset-import-job", "--dataset-import-job-name", "cli_sales_2",
                "--dataset-arn", dataset, "--data-source", bigSource).get("DatasetImportJobArn").asText();
        String queued = ok("forecast", "create-dataset-import-job", "--dataset-import-job-name", "cli_sales_3",
                "--dataset-arn", dataset, "--data-source", bigSource).get("DatasetImportJobArn").asText();
        ok("forecast", "stop-resource", "--resource-arn", queued);
        // stopped while queued (or, on a slow machine, while it ran)
        JsonNode stopped = awaitEnd("forecast", queued);
        assertThat(stopped.get("Status").asText()).isEqualTo("CREATE_STOPPED");
        assertThat(stopped.get("Message").asText()).contains("stopped");
        awaitEnd("forecast", running);

        JsonNode all = ok("forecast", "list-dataset-import-jobs", "--filters",
                "Key=DatasetArn,Value=" + dataset + ",Condition=IS").get("DatasetImportJobs");
        assertThat(names(all)).containsExactly("cli_sales_1", "cli_sales_2", "cli_sales_3");
        assertThat(all.get(0).get("DataSource")).isEqualTo(Json.parse(source));
        assertThat(time(all.get(0).get("CreationTime"))).isEqualTo(created);
        assertThat(all.get(1).get("Status").asText()).isIn("ACTIVE", "CREATE_STOPPED");
        JsonNode stoppedOnly = ok("forecast", "list-dataset-import-jobs", "--filters",
                "Key=DatasetArn,Value=" + dataset + ",Condition=IS", "Key=Status,Value=CREATE_STOPPED,Condition=IS")
                .get("DatasetImportJobs");
        assertThat(names(stoppedOnly)).containsExactly("cli_sales_3");
        assertThat(stoppedOnly.get(0).get("Status").asText()).isEqualTo("CREATE_STOPPED");
        assertThat(names(ok("forecast", "list-dataset-import-jobs", "--filters",
                "Key=DatasetArn,Value=" + dataset + ",Condition=IS", "Key=Status,Value=CREATE_STOPPED,Condition=IS_NOT")
                .get("DatasetImportJobs"))).containsExactly("cli_sales_1", "cli_sales_2");

        ok("forecast", "delete-dataset-import-job", "--dataset-import-job-arn", job);
        assertThat(names(ok("forecast", "list-dataset-import-jobs", "--filters",
                "Key=DatasetArn,Value=" + dataset + ",Condition=IS").get("DatasetImportJobs")))
                .containsExactly("cli_sales_2", "cli_sales_3");
        ok("forecast", "delete-dataset-group", "--dataset-group-arn", group);
        ok("forecast", "delete-dataset", "--dataset-arn", dataset);
        assertThat(refused("forecast", "describe-dataset-group", "--dataset-group-arn", group))
                .contains("(ResourceNotFoundException)").contains("cli_retail");
    }

    private static List<String> names(JsonNode jobs) {
        List<String> names = new ArrayList<>();
        jobs.forEach(j -> names.add(j.get("DatasetImportJobName").asText()));
        return names;
    }

    @Test
    void forecastRefusesUseGeolocationForTimeZoneWithItsCodeAndCreatesNothing() throws Exception {
        String dataset = ok("forecast", "create-dataset", "--dataset-name", "cli_geo", "--domain", "RETAIL",
                "--dataset-type", "TARGET_TIME_SERIES", "--data-frequency", "D", "--schema",
                "{\"Attributes\": [{\"AttributeName\": \"item_id\", \"AttributeType\": \"string\"},"
                        + " {\"AttributeName\": \"timestamp\", \"AttributeType\": \"timestamp\"},"
                        + " {\"AttributeName\": \"demand\", \"AttributeType\": \"float\"},"
                        + " {\"AttributeName\": \"location\", \"AttributeType\": \"geolocation\"}]}").get("DatasetArn").asText();
        String stderr = refused("forecast", "create-dataset-import-job", "--dataset-import-job-name", "cli_geo_1",
                "--dataset-arn", dataset, "--data-source",
                "{\"S3Config\": {\"Path\": \"s3://intake-landing/exports/cli/geo.csv\", \"RoleArn\": \"" + ROLE + "\"}}",
                "--use-geolocation-for-time-zone", "--geolocation-format", "LAT_LONG");
        assertThat(stderr).contains("An error occurred (InvalidInputException) when calling the CreateDatasetImportJob operation")
                .contains("UseGeolocationForTimeZone is not supported").contains("TimeZone");
        assertThat(ok("forecast", "list-dataset-import-jobs", "--filters", "Key=DatasetArn,Value=" + dataset + ",Condition=IS")
                .get("DatasetImportJobs")).isEmpty();
    }
}
