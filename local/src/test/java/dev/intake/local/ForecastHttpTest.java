package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Amazon Forecast's data side against the local runtime, in the AWS SDK's wire form (POST / with
 * X-Amz-Target: AmazonForecast.X, JSON 1.1): the SDK's ForecastClient is not in the build's offline
 * mirror, so these requests are what it sends, and every field of each answer is checked.
 */
class ForecastHttpTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/forecast-reader";
    private static final String ARN = "arn:aws:forecast:us-east-1:000000000000:";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Four rows of four keys (item_id, timestamp and the dimension store). */
    private static final String DEMAND = "item_id,timestamp,demand,store\n"
            + "i1,2026-01-01 00:00:00,3.5,s1\n" + "i1,2026-01-02 00:00:00,4,s1\n"
            + "i2,2026-01-01 00:00:00,1,s2\n" + "i1,2026-01-01 00:00:00,5,s2\n";

    private static LocalRuntime runtime;

    record Reply(int status, JsonNode body, String errorType) {
    }

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(ROLE));
        put("exports/forecast/demand.csv", DEMAND);
        StringBuilder big = new StringBuilder("item_id,timestamp,demand,store\n");
        for (int i = 0; i < 50_000; i++) {
            big.append('i').append(i).append(",2026-01-01 00:00:00,1,s\n");
        }
        put("exports/forecast/big.csv", big.toString());
    }

    private static void put(String key, String text) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key),
                RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static Reply call(String operation, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.apiEndpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonForecast." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.parse(response.body());
        return new Reply(response.statusCode(), json, response.headers().firstValue("x-amzn-ErrorType").orElse(null));
    }

    static JsonNode ok(String operation, Object body) throws Exception {
        Reply reply = call(operation, body);
        assertThat(reply.status()).as(operation + " " + reply.body()).isEqualTo(200);
        return reply.body();
    }

    static void error(String operation, Object body, String type, String message) throws Exception {
        Reply reply = call(operation, body);
        assertThat(reply.status()).as(operation + " " + reply.body()).isEqualTo(400);
        assertThat(reply.errorType()).isEqualTo(type);
        assertThat(reply.body().get("__type").asText()).isEqualTo(type);
        assertThat(reply.body().get("Message").asText()).contains(message);
    }

    static Map<String, Object> attribute(String name, String type) {
        return Map.of("AttributeName", name, "AttributeType", type);
    }

    static String createTarget(String name) throws Exception {
        return ok("CreateDataset", Map.of("DatasetName", name, "Domain", "RETAIL", "DatasetType", "TARGET_TIME_SERIES",
                "DataFrequency", "D", "Schema", Map.of("Attributes", List.of(attribute("item_id", "string"),
                        attribute("timestamp", "timestamp"), attribute("demand", "float"), attribute("store", "string"))),
                "EncryptionConfig", Map.of("RoleArn", ROLE, "KMSKeyArn", "arn:aws:kms:us-east-1:000000000000:key/k1"),
                "Tags", List.of(Map.of("Key", "team", "Value", "demand")))).get("DatasetArn").asText();
    }

    @Test
    void aDatasetIsCreatedDescribedListedAndIsTheSameDatasetIntakeSees() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String arn = createTarget("sales");
        assertThat(arn).isEqualTo(ARN + "dataset/sales");

        JsonNode d = ok("DescribeDataset", Map.of("DatasetArn", arn));
        assertThat(d.get("DatasetArn").asText()).isEqualTo(arn);
        assertThat(d.get("DatasetName").asText()).isEqualTo("sales");
        assertThat(d.get("Domain").asText()).isEqualTo("RETAIL");
        assertThat(d.get("DatasetType").asText()).isEqualTo("TARGET_TIME_SERIES");
        assertThat(d.get("DataFrequency").asText()).isEqualTo("D");
        assertThat(d.get("Schema")).isEqualTo(Json.MAPPER.valueToTree(Map.of("Attributes", List.of(
                attribute("item_id", "string"), attribute("timestamp", "timestamp"), attribute("demand", "float"),
                attribute("store", "string")))));
        assertThat(d.get("EncryptionConfig").get("RoleArn").asText()).isEqualTo(ROLE);
        assertThat(d.get("EncryptionConfig").get("KMSKeyArn").asText()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/k1");
        assertThat(d.get("Status").asText()).isEqualTo("ACTIVE");
        assertThat(d.get("CreationTime").decimalValue().doubleValue()).isGreaterThan(before.getEpochSecond());
        assertThat(d.get("LastModificationTime")).isEqualTo(d.get("CreationTime"));

        // the same dataset through Intake's own API: keys are the identifier, the timestamp and the dimension
        JsonNode intake = new ApiClient(runtime.apiEndpoint()).ok("intake", "DescribeDataset",
                Map.of("datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/sales")).get("dataset");
        assertThat(intake.get("keyFields")).isEqualTo(Json.MAPPER.valueToTree(List.of("item_id", "timestamp", "store")));

        JsonNode list = ok("ListDatasets", Map.of("MaxResults", 100));
        JsonNode summary = null;
        for (JsonNode s : list.get("Datasets")) {
            if (s.get("DatasetName").asText().equals("sales")) {
                summary = s;
            }
        }
        assertThat(summary).isNotNull();
        assertThat(summary.get("DatasetArn").asText()).isEqualTo(arn);
        assertThat(summary.get("DatasetType").asText()).isEqualTo("TARGET_TIME_SERIES");
        assertThat(summary.get("Domain").asText()).isEqualTo("RETAIL");
        assertThat(summary.get("CreationTime")).isEqualTo(d.get("CreationTime"));
        assertThat(summary.get("LastModificationTime")).isEqualTo(d.get("LastModificationTime"));

        error("CreateDataset", Map.of("DatasetName", "sales", "Domain", "RETAIL", "DatasetType", "ITEM_METADATA",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "string")))), "ResourceAlreadyExistsException",
                "sales");
    }

    @Test
    void aSchemaTheDomainDoesNotAllowIsRefused() throws Exception {
        error("CreateDataset", Map.of("DatasetName", "nodemand", "Domain", "RETAIL", "DatasetType", "TARGET_TIME_SERIES",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "string"), attribute("timestamp", "timestamp")))),
                "InvalidInputException", "A RETAIL TARGET_TIME_SERIES dataset needs the attributes item_id, timestamp, demand;"
                        + " Schema.Attributes has no demand");
        error("CreateDataset", Map.of("DatasetName", "ec2", "Domain", "EC2_CAPACITY", "DatasetType", "ITEM_METADATA",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "string")))),
                "InvalidInputException", "has no instance_type");
        error("CreateDataset", Map.of("DatasetName", "related", "Domain", "CUSTOM", "DatasetType", "RELATED_TIME_SERIES",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "string"), attribute("timestamp", "timestamp")))),
                "InvalidInputException", "DataFrequency is required for a RELATED_TIME_SERIES dataset");
        error("CreateDataset", Map.of("DatasetName", "badtype", "Domain", "CUSTOM", "DatasetType", "ITEM_METADATA",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "integer")))),
                "InvalidInputException", "Attribute item_id of a CUSTOM dataset must be of type string, not integer");
        error("CreateDataset", Map.of("DatasetName", "1bad", "Domain", "CUSTOM", "DatasetType", "ITEM_METADATA",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "string")))),
                "InvalidInputException", "Member must satisfy regular expression pattern");
        error("CreateDataset", Map.of("DatasetName", "awstag", "Domain", "CUSTOM", "DatasetType", "ITEM_METADATA",
                "Schema", Map.of("Attributes", List.of(attribute("item_id", "string"))),
                "Tags", List.of(Map.of("Key", "aws:x", "Value", "y"))),
                "InvalidInputException", "reserved prefix aws:");
        error("DescribeDataset", Map.of("DatasetArn", ARN + "dataset/nodemand"), "ResourceNotFoundException", "nodemand");
        error("ListDatasets", Map.of("NextToken", "forged.token"), "InvalidNextTokenException", "not valid");
    }

    @Test
    void datasetGroupsHoldOneDomainsDatasetsAndAreUpdatedAndDeleted() throws Exception {
        String target = createTarget("groupsales");
        String items = ok("CreateDataset", Map.of("DatasetName", "groupitems", "Domain", "RETAIL", "DatasetType",
                "ITEM_METADATA", "Schema", Map.of("Attributes", List.of(attribute("item_id", "string"),
                        attribute("category", "string"))))).get("DatasetArn").asText();
        String other = ok("CreateDataset", Map.of("DatasetName", "groupweb", "Domain", "WEB_TRAFFIC", "DatasetType",
                "ITEM_METADATA", "Schema", Map.of("Attributes", List.of(attribute("item_id", "string")))))
                .get("DatasetArn").asText();

        String group = ok("CreateDatasetGroup", Map.of("DatasetGroupName", "retail", "Domain", "RETAIL",
                "DatasetArns", List.of(target), "Tags", List.of(Map.of("Key", "k", "Value", "v"))))
                .get("DatasetGroupArn").asText();
        assertThat(group).isEqualTo(ARN + "dataset-group/retail");
        JsonNode g = ok("DescribeDatasetGroup", Map.of("DatasetGroupArn", group));
        assertThat(g.get("DatasetGroupName").asText()).isEqualTo("retail");
        assertThat(g.get("DatasetGroupArn").asText()).isEqualTo(group);
        assertThat(g.get("DatasetArns")).isEqualTo(Json.MAPPER.valueToTree(List.of(target)));
        assertThat(g.get("Domain").asText()).isEqualTo("RETAIL");
        assertThat(g.get("Status").asText()).isEqualTo("ACTIVE");
        assertThat(g.get("LastModificationTime")).isEqualTo(g.get("CreationTime"));

        error("CreateDatasetGroup", Map.of("DatasetGroupName", "retail", "Domain", "RETAIL"),
                "ResourceAlreadyExistsException", "Dataset group 'retail' already exists");
        error("CreateDatasetGroup", Map.of("DatasetGroupName", "mixed", "Domain", "RETAIL", "DatasetArns", List.of(other)),
                "InvalidInputException", "has the domain WEB_TRAFFIC; the dataset group's domain is RETAIL");
        error("CreateDatasetGroup", Map.of("DatasetGroupName", "missing", "Domain", "RETAIL",
                "DatasetArns", List.of(ARN + "dataset/nothere")), "ResourceNotFoundException", "nothere");
        error("CreateDatasetGroup", Map.of("DatasetGroupName", "toomany", "Domain", "RETAIL", "Tags",
                java.util.stream.IntStream.range(0, 51).mapToObj(i -> Map.of("Key", "k" + i, "Value", "v")).toList()),
                "LimitExceededException", "at most 50");
        error("CreateDatasetGroup", Map.of("DatasetGroupName", "x"), "InvalidInputException",
                "Value null at 'Domain' failed to satisfy constraint: Member must not be null");

        ok("UpdateDatasetGroup", Map.of("DatasetGroupArn", group, "DatasetArns", List.of(target, items)));
        JsonNode updated = ok("DescribeDatasetGroup", Map.of("DatasetGroupArn", group));
        assertThat(updated.get("DatasetArns")).isEqualTo(Json.MAPPER.valueToTree(List.of(target, items)));
        assertThat(updated.get("CreationTime")).isEqualTo(g.get("CreationTime"));
        assertThat(updated.get("LastModificationTime").decimalValue()).isGreaterThanOrEqualTo(g.get("CreationTime").decimalValue());
        error("UpdateDatasetGroup", Map.of("DatasetGroupArn", group, "DatasetArns", List.of(target, target)),
                "InvalidInputException", "twice");
        error("UpdateDatasetGroup", Map.of("DatasetGroupArn", ARN + "dataset-group/none", "DatasetArns", List.of()),
                "ResourceNotFoundException", "Dataset group 'none' does not exist");

        ok("CreateDatasetGroup", Map.of("DatasetGroupName", "retail2", "Domain", "RETAIL"));
        JsonNode first = ok("ListDatasetGroups", Map.of("MaxResults", 1));
        assertThat(first.get("DatasetGroups")).hasSize(1);
        assertThat(first.get("DatasetGroups").get(0).get("DatasetGroupName").asText()).isEqualTo("retail");
        assertThat(first.get("DatasetGroups").get(0).get("DatasetGroupArn").asText()).isEqualTo(group);
        assertThat(first.get("DatasetGroups").get(0).get("CreationTime")).isEqualTo(g.get("CreationTime"));
        assertThat(first.get("DatasetGroups").get(0).get("LastModificationTime"))
                .isEqualTo(updated.get("LastModificationTime"));
        JsonNode second = ok("ListDatasetGroups", Map.of("MaxResults", 1, "NextToken", first.get("NextToken").asText()));
        assertThat(second.get("DatasetGroups").get(0).get("DatasetGroupName").asText()).isEqualTo("retail2");
        error("ListDatasetGroups", Map.of("MaxResults", 101), "InvalidInputException", "less than or equal to 100");
        error("ListDatasetGroups", Map.of("NextToken", first.get("NextToken").asText() + "x"), "InvalidNextTokenException",
                "not valid");

        ok("DeleteDatasetGroup", Map.of("DatasetGroupArn", group));
        error("DescribeDatasetGroup", Map.of("DatasetGroupArn", group), "ResourceNotFoundException", "retail");
        error("DeleteDatasetGroup", Map.of("DatasetGroupArn", group), "ResourceNotFoundException", "retail");
        // the group's datasets stay
        assertThat(ok("DescribeDataset", Map.of("DatasetArn", target)).get("DatasetName").asText()).isEqualTo("groupsales");
    }

    static JsonNode awaitEnd(String arn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = ok("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", arn));
            if (List.of("ACTIVE", "CREATE_FAILED", "CREATE_STOPPED").contains(job.get("Status").asText())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(arn + " did not end");
    }

    static Map<String, Object> importJob(String name, String datasetArn, String path) {
        return Map.of("DatasetImportJobName", name, "DatasetArn", datasetArn, "DataSource", Map.of("S3Config",
                Map.of("Path", path, "RoleArn", ROLE, "KMSKeyArn", "arn:aws:kms:us-east-1:000000000000:key/k2")),
                "TimestampFormat", "yyyy-MM-dd HH:mm:ss", "TimeZone", "Europe/Berlin", "GeolocationFormat", "LAT_LONG",
                "Format", "CSV", "ImportMode", "FULL", "Tags", List.of(Map.of("Key", "run", "Value", "1")));
    }

    @Test
    void anImportRunsOnTheEngineAndReadsBackEveryField() throws Exception {
        String dataset = createTarget("imported");
        String arn = ok("CreateDatasetImportJob", importJob("first_import", dataset,
                "s3://intake-landing/exports/forecast/demand.csv")).get("DatasetImportJobArn").asText();
        assertThat(arn).isEqualTo(ARN + "dataset-import-job/imported/first_import");

        JsonNode job = awaitEnd(arn);
        assertThat(job.get("DatasetImportJobName").asText()).isEqualTo("first_import");
        assertThat(job.get("DatasetImportJobArn").asText()).isEqualTo(arn);
        assertThat(job.get("DatasetArn").asText()).isEqualTo(dataset);
        assertThat(job.get("TimestampFormat").asText()).isEqualTo("yyyy-MM-dd HH:mm:ss");
        assertThat(job.get("TimeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(job.get("UseGeolocationForTimeZone").asBoolean()).isFalse();
        assertThat(job.get("GeolocationFormat").asText()).isEqualTo("LAT_LONG");
        assertThat(job.get("DataSource")).isEqualTo(Json.MAPPER.valueToTree(Map.of("S3Config", Map.of(
                "Path", "s3://intake-landing/exports/forecast/demand.csv", "RoleArn", ROLE,
                "KMSKeyArn", "arn:aws:kms:us-east-1:000000000000:key/k2"))));
        assertThat(job.get("Status").asText()).isEqualTo("ACTIVE");
        assertThat(job.has("Message")).isFalse();
        assertThat(job.get("DataSize").asDouble()).isEqualTo(DEMAND.length() / 1e9);
        assertThat(job.get("LastModificationTime").decimalValue()).isGreaterThanOrEqualTo(job.get("CreationTime").decimalValue());
        assertThat(job.get("Format").asText()).isEqualTo("CSV");
        assertThat(job.get("ImportMode").asText()).isEqualTo("FULL");
        assertThat(job.has("EstimatedTimeRemainingInMinutes")).isFalse();
        // every statistic of the four rows (timestamps stored as UTC instants: the job's zone is Europe/Berlin)
        assertThat(job.get("FieldStatistics")).isEqualTo(Json.parse("""
                {"item_id": {"Count": 4, "CountLong": 4, "CountDistinct": 2, "CountDistinctLong": 2,
                             "CountNull": 0, "CountNullLong": 0},
                 "timestamp": {"Count": 4, "CountLong": 4, "CountDistinct": 2, "CountDistinctLong": 2,
                               "CountNull": 0, "CountNullLong": 0,
                               "Min": "2025-12-31T23:00:00Z", "Max": "2026-01-01T23:00:00Z"},
                 "demand": {"Count": 4, "CountLong": 4, "CountDistinct": 4, "CountDistinctLong": 4,
                            "CountNull": 0, "CountNullLong": 0, "CountNan": 0, "CountNanLong": 0,
                            "Min": "1.0", "Max": "5.0", "Avg": 3.375, "Stddev": %s},
                 "store": {"Count": 4, "CountLong": 4, "CountDistinct": 2, "CountDistinctLong": 2,
                           "CountNull": 0, "CountNullLong": 0}}""".formatted(Math.sqrt(8.6875 / 4))));

        // the same job in Intake's own API, with the engine's counts (4 rows, 4 keys: item, timestamp, store)
        JsonNode intake = new ApiClient(runtime.apiEndpoint()).ok("intake", "DescribeImportJob", Map.of(
                "datasetImportJobArn", "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/first_import"))
                .get("importJob");
        assertThat(intake.get("statistics").get("recordsAdded").asLong()).isEqualTo(4);

        error("CreateDatasetImportJob", importJob("first_import", dataset, "s3://intake-landing/exports/forecast/demand.csv"),
                "ResourceAlreadyExistsException", "An import job named 'first_import' already exists");
        error("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", ARN + "dataset-import-job/other/first_import"),
                "ResourceNotFoundException", "does not exist");

        ok("DeleteDatasetImportJob", Map.of("DatasetImportJobArn", arn));
        error("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", arn), "ResourceNotFoundException", "first_import");
        error("DeleteDatasetImportJob", Map.of("DatasetImportJobArn", arn), "ResourceNotFoundException", "first_import");
        error("CreateDatasetImportJob", importJob("first_import", dataset, "s3://intake-landing/exports/forecast/demand.csv"),
                "ResourceAlreadyExistsException", "also after DeleteDatasetImportJob");
    }

    @Test
    void timestampsAreReadByTheJobsFormatAndZoneAndBadOnesFailTheirRows() throws Exception {
        String dataset = createTarget("stamped");
        StringBuilder csv = new StringBuilder("item_id,timestamp,demand,store\n");
        for (int i = 1; i <= 28; i++) {
            csv.append('i').append(i).append(",2026-01-15 09:30:00,1,s1\n");
        }
        csv.append("bad1,2026-02-30 00:00:00,1,s1\n"); // line 30: no such day
        csv.append("bad2,2026-03-08 02:30:00,1,s1\n"); // line 31: the hour New York skipped for daylight saving
        put("tests/forecast-timestamps/stamped.csv", csv.toString());
        Map<String, Object> request = new java.util.HashMap<>(importJob("stamped_import", dataset,
                "s3://intake-landing/tests/forecast-timestamps/stamped.csv"));
        request.put("TimeZone", "America/New_York");
        JsonNode job = awaitEnd(ok("CreateDatasetImportJob", request).get("DatasetImportJobArn").asText());
        assertThat(job.get("Status").asText()).isEqualTo("ACTIVE");

        ApiClient api = new ApiClient(runtime.apiEndpoint());
        JsonNode intake = api.ok("intake", "DescribeImportJob", Map.of(
                "datasetImportJobArn", "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/stamped_import"))
                .get("importJob");
        assertThat(intake.get("statistics").get("recordsAdded").asLong()).isEqualTo(28);
        assertThat(intake.get("statistics").get("recordsFailed").asLong()).isEqualTo(2);
        String report = runtime.s3().client().getObjectAsBytes(r -> r.bucket(LocalRuntime.RESULTS_BUCKET)
                .key("error-reports/stamped_import.csv")).asUtf8String();
        String file = "\"s3://intake-landing/tests/forecast-timestamps/stamped.csv\"";
        assertThat(report).isEqualTo("file,line,reason\n"
                + file + ",30,\"field 'timestamp' value '2026-02-30 00:00:00' is not a timestamp in the format yyyy-MM-dd HH:mm:ss\"\n"
                + file + ",31,\"field 'timestamp' value '2026-03-08 02:30:00' is a time that does not exist in"
                + " America/New_York (a daylight-saving gap)\"\n");
        assertThat(intake.get("errorReportLocation").asText()).isEqualTo("s3://intake-results/error-reports/stamped_import.csv");

        // a valid time in the job's zone is stored as its instant in UTC (09:30 EST is 14:30Z)
        JsonNode record = api.ok("intake", "GetRecord", Map.of("datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/stamped",
                "key", Map.of("item_id", "i7", "timestamp", "2026-01-15T14:30:00Z", "store", "s1"))).get("record");
        assertThat(record.get("timestamp").asText()).isEqualTo("2026-01-15T14:30:00Z");
    }

    @Test
    void badImportRequestsAreRefusedWithNothingStored() throws Exception {
        String dataset = createTarget("refusals");
        String path = "s3://intake-landing/exports/forecast/demand.csv";
        error("CreateDatasetImportJob", with(importJob("parquet", dataset, path), "Format", "PARQUET"),
                "InvalidInputException", "Format PARQUET is not supported yet");
        error("CreateDatasetImportJob", with(importJob("fmt", dataset, path), "TimestampFormat", "dd.MM.yyyy"),
                "InvalidInputException", "TimestampFormat must be yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
        error("CreateDatasetImportJob", with(importJob("tz", dataset, path), "TimeZone", "Mars/Olympus"),
                "InvalidInputException", "TimeZone Mars/Olympus is not a time zone name");
        error("CreateDatasetImportJob", with(importJob("both", dataset, path), "UseGeolocationForTimeZone", true),
                "InvalidInputException", "either TimeZone or UseGeolocationForTimeZone");
        error("CreateDatasetImportJob", with(importJob("geo", dataset, path), "GeolocationFormat", "WGS84"),
                "InvalidInputException", "GeolocationFormat must be LAT_LONG or CC_POSTALCODE");
        error("CreateDatasetImportJob", importJob("nodataset", ARN + "dataset/nothere", path),
                "ResourceNotFoundException", "nothere");
        error("CreateDatasetImportJob", with(importJob("incremental", dataset, path), "ImportMode", "INCREMENTAL"),
                "InvalidInputException", "no completed FULL import yet");
        Map<String, Object> otherRole = new java.util.HashMap<>(importJob("role", dataset, path));
        otherRole.put("DataSource", Map.of("S3Config", Map.of("Path", path, "RoleArn", "arn:aws:iam::000000000000:role/other")));
        error("CreateDatasetImportJob", otherRole, "InvalidInputException", "importRoleArns");
        error("CreateDatasetImportJob", Map.of("DatasetImportJobName", "x", "DatasetArn", dataset),
                "InvalidInputException", "Value null at 'DataSource' failed to satisfy constraint");
        // nothing of them was kept: each name is free
        for (String name : List.of("parquet", "fmt", "tz", "both", "geo", "nodataset", "incremental", "role")) {
            error("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", ARN + "dataset-import-job/refusals/" + name),
                    "ResourceNotFoundException", name);
        }
        assertThat(ok("DescribeDataset", Map.of("DatasetArn", dataset)).get("Status").asText()).isEqualTo("ACTIVE");
    }

    static Map<String, Object> with(Map<String, Object> request, String member, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(request);
        copy.put(member, value);
        return copy;
    }

    @Test
    void stopResourceStopsAnImportAndOnlyEndedJobsAreDeleted() throws Exception {
        String dataset = createTarget("stopping");
        String running = ok("CreateDatasetImportJob", importJob("big_import", dataset,
                "s3://intake-landing/exports/forecast/big.csv")).get("DatasetImportJobArn").asText();
        String queued = ok("CreateDatasetImportJob", importJob("queued_import", dataset,
                "s3://intake-landing/exports/forecast/big.csv")).get("DatasetImportJobArn").asText();
        assertThat(ok("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", queued)).get("Status").asText())
                .isEqualTo("CREATE_PENDING");
        error("DeleteDatasetImportJob", Map.of("DatasetImportJobArn", queued), "ResourceInUseException",
                "is CREATE_PENDING; only an ACTIVE or CREATE_FAILED job can be deleted");
        error("DeleteDataset", Map.of("DatasetArn", dataset), "ResourceInUseException", "stopping");
        assertThat(ok("DescribeDataset", Map.of("DatasetArn", dataset)).get("Status").asText()).isEqualTo("UPDATE_IN_PROGRESS");

        ok("StopResource", Map.of("ResourceArn", queued));
        JsonNode stopped = ok("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", queued));
        assertThat(stopped.get("Status").asText()).isEqualTo("CREATE_STOPPED");
        assertThat(stopped.get("Message").asText()).contains("stopped before it started");
        error("StopResource", Map.of("ResourceArn", queued), "InvalidInputException", "has already ended");
        error("DeleteDatasetImportJob", Map.of("DatasetImportJobArn", queued), "ResourceInUseException", "CREATE_STOPPED");
        error("StopResource", Map.of("ResourceArn", ARN + "predictor/p1"), "ResourceNotFoundException",
                "only dataset import jobs can be stopped here");
        error("StopResource", Map.of("ResourceArn", ARN + "dataset-import-job/stopping/none"), "ResourceNotFoundException",
                "none");

        Reply stop = call("StopResource", Map.of("ResourceArn", running));
        JsonNode ended = awaitEnd(running);
        if (stop.status() == 200) {
            assertThat(ended.get("Status").asText()).isEqualTo("CREATE_STOPPED");
        } else { // it ended before the stop arrived
            assertThat(stop.errorType()).isEqualTo("InvalidInputException");
            assertThat(ended.get("Status").asText()).isEqualTo("ACTIVE");
        }
        ok("DeleteDataset", Map.of("DatasetArn", dataset));
        Reply deleted = call("DescribeDataset", Map.of("DatasetArn", dataset)); // deleting, or gone already
        assertThat(deleted.status() == 200 ? deleted.body().get("Status").asText() : deleted.errorType())
                .isIn("DELETE_PENDING", "DELETE_IN_PROGRESS", "ResourceNotFoundException");
    }

    static Map<String, Object> filter(String key, String value, String condition) {
        return Map.of("Key", key, "Value", value, "Condition", condition);
    }

    static List<String> names(JsonNode page, String prefix) {
        List<String> names = new java.util.ArrayList<>();
        page.get("DatasetImportJobs").forEach(j -> {
            if (j.get("DatasetImportJobName").asText().startsWith(prefix)) {
                names.add(j.get("DatasetImportJobName").asText());
            }
        });
        return names;
    }

    @Test
    void importJobsListInCreationOrderByAnyFiltersAndTokensAreBoundToThem() throws Exception {
        String a = createTarget("lista");
        String b = createTarget("listb");
        String path = "s3://intake-landing/exports/forecast/demand.csv";
        String one = ok("CreateDatasetImportJob", importJob("l_one", a, path)).get("DatasetImportJobArn").asText();
        awaitEnd(one);
        awaitEnd(ok("CreateDatasetImportJob", importJob("l_two", a, path)).get("DatasetImportJobArn").asText());
        String failed = ok("CreateDatasetImportJob", importJob("l_fail", a, "s3://intake-landing/exports/forecast/none.csv"))
                .get("DatasetImportJobArn").asText();
        JsonNode failedJob = awaitEnd(failed);
        assertThat(failedJob.get("Status").asText()).isEqualTo("CREATE_FAILED");
        awaitEnd(ok("CreateDatasetImportJob", importJob("l_three", b, path)).get("DatasetImportJobArn").asText());

        JsonNode ofA = ok("ListDatasetImportJobs", Map.of("Filters", List.of(filter("DatasetArn", a, "IS"))));
        assertThat(names(ofA, "l_")).containsExactly("l_one", "l_two", "l_fail");
        assertThat(ofA.has("NextToken")).isFalse();
        JsonNode summary = ofA.get("DatasetImportJobs").get(2);
        assertThat(summary.get("DatasetImportJobArn").asText()).isEqualTo(failed);
        assertThat(summary.get("DatasetImportJobName").asText()).isEqualTo("l_fail");
        assertThat(summary.get("DataSource")).isEqualTo(failedJob.get("DataSource"));
        assertThat(summary.get("Status").asText()).isEqualTo("CREATE_FAILED");
        assertThat(summary.get("Message")).isEqualTo(failedJob.get("Message"));
        assertThat(summary.get("CreationTime")).isEqualTo(failedJob.get("CreationTime"));
        assertThat(summary.get("LastModificationTime")).isEqualTo(failedJob.get("LastModificationTime"));
        assertThat(summary.get("ImportMode").asText()).isEqualTo("FULL");

        assertThat(names(ok("ListDatasetImportJobs", Map.of("Filters", List.of(filter("DatasetArn", a, "IS"),
                filter("Status", "CREATE_FAILED", "IS")))), "l_")).containsExactly("l_fail");
        assertThat(names(ok("ListDatasetImportJobs", Map.of("Filters", List.of(filter("Status", "ACTIVE", "IS"),
                filter("DatasetArn", a, "IS_NOT")))), "l_")).containsExactly("l_three");
        assertThat(names(ok("ListDatasetImportJobs", Map.of("Filters", List.of(filter("Status", "ACTIVE", "IS_NOT")))),
                "l_")).containsExactly("l_fail");
        assertThat(names(ok("ListDatasetImportJobs", Map.of()), "l_")).containsExactly("l_one", "l_two", "l_fail", "l_three");

        // one job a page, through the tokens
        List<String> paged = new java.util.ArrayList<>();
        List<Map<String, Object>> filters = List.of(filter("DatasetArn", a, "IS"));
        JsonNode page = ok("ListDatasetImportJobs", Map.of("Filters", filters, "MaxResults", 1));
        String firstToken = page.get("NextToken").asText();
        while (true) {
            paged.addAll(names(page, "l_"));
            if (!page.has("NextToken")) {
                break;
            }
            page = ok("ListDatasetImportJobs", Map.of("Filters", filters, "MaxResults", 1,
                    "NextToken", page.get("NextToken").asText()));
        }
        assertThat(paged).containsExactly("l_one", "l_two", "l_fail");
        error("ListDatasetImportJobs", Map.of("Filters", List.of(filter("DatasetArn", b, "IS")), "NextToken", firstToken),
                "InvalidNextTokenException", "with the same filters");
        error("ListDatasetImportJobs", Map.of("NextToken", firstToken), "InvalidNextTokenException", "with the same filters");
        error("ListDatasetImportJobs", Map.of("Filters", filters, "NextToken", "A" + firstToken),
                "InvalidNextTokenException", "not valid");

        error("ListDatasetImportJobs", Map.of("Filters", List.of(filter("Domain", a, "IS"))), "InvalidInputException",
                "Filter Key must be DatasetArn or Status, not Domain");
        error("ListDatasetImportJobs", Map.of("Filters", List.of(filter("Status", "DONE", "IS"))), "InvalidInputException",
                "Status filter value DONE is not one of");
        error("ListDatasetImportJobs", Map.of("Filters", List.of(filter("Status", "ACTIVE", "MAYBE"))),
                "InvalidInputException", "Member must satisfy enum value set: [IS, IS_NOT]");
        error("ListDatasetImportJobs", Map.of("MaxResults", 0), "InvalidInputException",
                "Member must have value greater than or equal to 1");

        // a deleted job leaves the listing
        ok("DeleteDatasetImportJob", Map.of("DatasetImportJobArn", one));
        assertThat(names(ok("ListDatasetImportJobs", Map.of("Filters", filters)), "l_")).containsExactly("l_two", "l_fail");
    }
}
