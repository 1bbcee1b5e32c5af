package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lookoutequipment.LookoutEquipmentClient;
import software.amazon.awssdk.services.lookoutequipment.model.AccessDeniedException;
import software.amazon.awssdk.services.lookoutequipment.model.ConflictException;
import software.amazon.awssdk.services.lookoutequipment.model.CreateDatasetResponse;
import software.amazon.awssdk.services.lookoutequipment.model.DataIngestionJobSummary;
import software.amazon.awssdk.services.lookoutequipment.model.DatasetStatus;
import software.amazon.awssdk.services.lookoutequipment.model.DatasetSummary;
import software.amazon.awssdk.services.lookoutequipment.model.DescribeDataIngestionJobResponse;
import software.amazon.awssdk.services.lookoutequipment.model.DescribeDatasetResponse;
import software.amazon.awssdk.services.lookoutequipment.model.IngestionInputConfiguration;
import software.amazon.awssdk.services.lookoutequipment.model.IngestionJobStatus;
import software.amazon.awssdk.services.lookoutequipment.model.ListDataIngestionJobsResponse;
import software.amazon.awssdk.services.lookoutequipment.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lookoutequipment.model.S3Object;
import software.amazon.awssdk.services.lookoutequipment.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.lookoutequipment.model.StartDataIngestionJobResponse;
import software.amazon.awssdk.services.lookoutequipment.model.Tag;
import software.amazon.awssdk.services.lookoutequipment.model.ValidationException;

/**
 * Amazon Lookout for Equipment's datasets, ingestion jobs and tags through the stock SDK v2 client
 * pointed at the local server: every field read back, each error of the model Intake can raise, and
 * ingestions of per-component CSV files from S3 by each kind of KeyPattern.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LookoutEquipmentSdkTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/lookout-reader";
    private static final String ARN = "arn:aws:lookoutequipment:us-east-1:000000000000:dataset/";
    private static final String BUCKET = LocalRuntime.LANDING_BUCKET;
    /** Two components; Pump's Flow and Fan's Speed, both with Temp. */
    private static final String SCHEMA = """
            {"Components": [
              {"ComponentName": "Pump", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                {"Name": "Flow", "Type": "DOUBLE"}, {"Name": "Temp", "Type": "DOUBLE"}]},
              {"ComponentName": "Fan", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                {"Name": "Speed", "Type": "DOUBLE"}, {"Name": "Temp", "Type": "DOUBLE"}]}]}""";
    /** 5 rows: one repeats a timestamp (the later wins), one has an unsupported timestamp, one a bad value. */
    private static final String PUMP = "Timestamp,Flow,Temp\n"
            + "2024-01-01 00:00:00,1.5,20\n"
            + "2024-01-01T00:10:00.123,1.6,21\n"
            + "2024-01-01 00:00:00,1.7,22\n"
            + "01/01/2024 00:20,1.8,23\n"
            + "2024-01-01 00:30:00+01:00,abc,24\n";
    /** 2 rows; the Speed sensor has no value at all. */
    private static final String FAN = "Timestamp,Speed,Temp\n"
            + "2024-01-01 00:00:00,,30\n"
            + "2024-01-01 00:10:00,,31\n";

    private LocalRuntime runtime;
    private LookoutEquipmentClient lookout;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(ROLE));
        api = new ApiClient(runtime.apiEndpoint());
        lookout = LookoutEquipmentClient.builder().endpointOverride(runtime.apiEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        lookout.close();
        runtime.close();
    }

    private void put(String key, String text) {
        runtime.s3().client().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private CreateDatasetResponse create(String name, String token) {
        return lookout.createDataset(r -> r.datasetName(name).clientToken(token)
                .datasetSchema(s -> s.inlineDataSchema(SCHEMA)));
    }

    private static IngestionInputConfiguration input(String prefix, String keyPattern) {
        return IngestionInputConfiguration.builder().s3InputConfiguration(s -> s.bucket(BUCKET).prefix(prefix)
                .keyPattern(keyPattern)).build();
    }

    private StartDataIngestionJobResponse ingest(String dataset, String prefix, String keyPattern) {
        return lookout.startDataIngestionJob(r -> r.datasetName(dataset).roleArn(ROLE)
                .clientToken(UUID.randomUUID().toString()).ingestionInputConfiguration(input(prefix, keyPattern)));
    }

    private DescribeDataIngestionJobResponse awaitEnd(String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            var job = lookout.describeDataIngestionJob(r -> r.jobId(jobId));
            if (job.status() != IngestionJobStatus.IN_PROGRESS) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("ingestion job " + jobId + " did not end");
    }

    @Test
    void aDatasetIsCreatedDescribedListedDeletedAndIsTheDatasetIntakeSees() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        var created = lookout.createDataset(r -> r.datasetName("press").clientToken("t-press")
                .datasetSchema(s -> s.inlineDataSchema(SCHEMA)).serverSideKmsKeyId("k-1")
                .tags(Tag.builder().key("team").value("plant").build()));
        assertThat(created.datasetName()).isEqualTo("press");
        assertThat(created.datasetArn()).startsWith(ARN + "press/").hasSizeGreaterThan((ARN + "press/").length());
        assertThat(created.status()).isEqualTo(DatasetStatus.CREATED);

        DescribeDatasetResponse d = lookout.describeDataset(r -> r.datasetName("press"));
        assertThat(d.datasetName()).isEqualTo("press");
        assertThat(d.datasetArn()).isEqualTo(created.datasetArn());
        assertThat(d.createdAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(d.lastUpdatedAt()).isAfterOrEqualTo(d.createdAt());
        assertThat(d.status()).isEqualTo(DatasetStatus.CREATED);
        assertThat(d.schema()).isEqualTo(SCHEMA);
        assertThat(d.serverSideKmsKeyId()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/k-1");
        assertThat(d.ingestionInputConfiguration()).isNull(); // no ingestion yet
        assertThat(d.dataQualitySummary()).isNull();
        assertThat(d.ingestedFilesSummary()).isNull();
        assertThat(d.roleArn()).isNull();
        assertThat(d.dataStartTime()).isNull();
        assertThat(d.dataEndTime()).isNull();
        assertThat(d.sourceDatasetArn()).isNull();

        // the same dataset through Intake's own API: one record per component and timestamp
        JsonNode intake = api.ok("intake", "DescribeDataset",
                Map.of("datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/press")).get("dataset");
        assertThat(intake.get("keyFields").toString()).isEqualTo("[\"ComponentName\",\"Timestamp\"]");
        assertThat(intake.get("schema").asText()).contains("\"Flow\"", "\"Speed\"", "\"Temp\"");

        // the same token and request: the same dataset; the token with another request: a conflict
        var again = lookout.createDataset(r -> r.datasetName("press").clientToken("t-press")
                .datasetSchema(s -> s.inlineDataSchema(SCHEMA)).serverSideKmsKeyId("k-1")
                .tags(Tag.builder().key("team").value("plant").build()));
        assertThat(again.datasetArn()).isEqualTo(created.datasetArn());
        assertThatThrownBy(() -> lookout.createDataset(r -> r.datasetName("press").clientToken("t-press")
                .datasetSchema(s -> s.inlineDataSchema(SCHEMA))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ClientToken 't-press'");
        assertThatThrownBy(() -> create("press", "t-other"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("'press' already exists");

        DatasetSummary summary = lookout.listDatasets(r -> r.datasetNameBeginsWith("pre")).datasetSummaries().stream()
                .filter(s -> s.datasetName().equals("press")).findFirst().orElseThrow();
        assertThat(summary.datasetArn()).isEqualTo(created.datasetArn());
        assertThat(summary.status()).isEqualTo(DatasetStatus.CREATED);
        assertThat(summary.createdAt()).isEqualTo(d.createdAt());

        lookout.deleteDataset(r -> r.datasetName("press"));
        assertThatThrownBy(() -> lookout.describeDataset(r -> r.datasetName("press")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("'press' does not exist");
        assertThatThrownBy(() -> lookout.deleteDataset(r -> r.datasetName("press")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(lookout.listDatasets(r -> r.datasetNameBeginsWith("press")).datasetSummaries()).isEmpty();
    }

    @Test
    void listDatasetsFiltersByPrefixAndPages() {
        List.of("lst-a", "lst-b", "lst-c", "lsu-x").forEach(n -> create(n, "t-" + n));
        var first = lookout.listDatasets(r -> r.datasetNameBeginsWith("lst-").maxResults(2));
        assertThat(first.datasetSummaries()).extracting(DatasetSummary::datasetName).containsExactly("lst-a", "lst-b");
        assertThat(first.nextToken()).isNotNull();
        var second = lookout.listDatasets(r -> r.datasetNameBeginsWith("lst-").maxResults(2).nextToken(first.nextToken()));
        assertThat(second.datasetSummaries()).extracting(DatasetSummary::datasetName).containsExactly("lst-c");
        assertThat(second.nextToken()).isNull();
        // a token is bound to its filter
        assertThatThrownBy(() -> lookout.listDatasets(r -> r.datasetNameBeginsWith("lsu").nextToken(first.nextToken())))
                .isInstanceOf(ValidationException.class);
        var paginated = new ArrayList<String>();
        lookout.listDatasetsPaginator(r -> r.maxResults(1)).stream().flatMap(p -> p.datasetSummaries().stream())
                .forEach(s -> paginated.add(s.datasetName()));
        assertThat(paginated).contains("lst-a", "lst-b", "lst-c", "lsu-x").isSorted();
    }

    @Test
    void createDatasetRefusesSchemasItCannotMap() {
        assertThatThrownBy(() -> lookout.createDataset(r -> r.datasetName("bad1").clientToken("b1")
                .datasetSchema(s -> s.inlineDataSchema("{\"Components\": []}"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("non-empty Components");
        assertThatThrownBy(() -> lookout.createDataset(r -> r.datasetName("bad2").clientToken("b2")
                .datasetSchema(s -> s.inlineDataSchema("{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": ["
                        + "{\"Name\": \"Flow\", \"Type\": \"DOUBLE\"}]}]}"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no DATETIME");
        assertThatThrownBy(() -> lookout.createDataset(r -> r.datasetName("bad3").clientToken("b3")
                .datasetSchema(s -> s.inlineDataSchema("not json"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> lookout.createDataset(r -> r.datasetName("bad4").clientToken("b4")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("InlineDataSchema is required");
        // the model's own checks, in its words
        assertThatThrownBy(() -> lookout.createDataset(r -> r.datasetName("bad name").clientToken("b5")
                .datasetSchema(s -> s.inlineDataSchema(SCHEMA))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("DatasetName");
        // a refused request leaves nothing: its token and name are free
        create("bad1", "b1");
        assertThat(lookout.describeDataset(r -> r.datasetName("bad1")).status()).isEqualTo(DatasetStatus.CREATED);
    }

    @Test
    void perComponentFilesAreIngestedByTheDefaultKeyPattern() throws Exception {
        String arn = create("turbine", "t-turbine").datasetArn();
        put("exports/turbine/Pump/2024-01.csv", PUMP);
        put("exports/turbine/Fan/2024-01.csv", FAN);
        put("exports/turbine/Valve/2024-01.csv", FAN); // no such component
        put("exports/turbine/notes.txt", "not data");
        Instant before = Instant.now().minusSeconds(1);

        var started = lookout.startDataIngestionJob(r -> r.datasetName("turbine").roleArn(ROLE).clientToken("i-1")
                .ingestionInputConfiguration(c -> c.s3InputConfiguration(s -> s.bucket(BUCKET).prefix("exports/turbine/"))));
        assertThat(started.jobId()).matches("[0-9a-f]{32}");
        assertThat(started.status()).isEqualTo(IngestionJobStatus.IN_PROGRESS);

        DescribeDataIngestionJobResponse job = awaitEnd(started.jobId());
        assertThat(job.jobId()).isEqualTo(started.jobId());
        assertThat(job.status()).isEqualTo(IngestionJobStatus.SUCCESS);
        assertThat(job.datasetArn()).isEqualTo(arn);
        assertThat(job.roleArn()).isEqualTo(ROLE);
        assertThat(job.createdAt()).isAfter(before);
        assertThat(job.failedReason()).isNull();
        var s3 = job.ingestionInputConfiguration().s3InputConfiguration();
        assertThat(s3.bucket()).isEqualTo(BUCKET);
        assertThat(s3.prefix()).isEqualTo("exports/turbine/");
        assertThat(s3.keyPattern()).isEqualTo("{prefix}/{component_name}/*"); // the documented default
        assertThat(job.ingestedFilesSummary().totalNumberOfFiles()).isEqualTo(4);
        assertThat(job.ingestedFilesSummary().ingestedNumberOfFiles()).isEqualTo(2);
        assertThat(job.ingestedFilesSummary().discardedFiles()).containsExactly(
                S3Object.builder().bucket(BUCKET).key("exports/turbine/Valve/2024-01.csv").build(),
                S3Object.builder().bucket(BUCKET).key("exports/turbine/notes.txt").build());
        assertThat(job.ingestedDataSize()).isEqualTo((long) (PUMP.length() + FAN.length()));
        var quality = job.dataQualitySummary();
        assertThat(quality.duplicateTimestamps().totalNumberOfDuplicateTimestamps()).isEqualTo(1);
        assertThat(quality.unsupportedTimestamps().totalNumberOfUnsupportedTimestamps()).isEqualTo(1);
        assertThat(quality.invalidSensorData().affectedSensorCount()).isEqualTo(1);
        assertThat(quality.invalidSensorData().totalNumberOfInvalidValues()).isEqualTo(1);
        assertThat(quality.missingSensorData().affectedSensorCount()).isZero(); // no empty value in a valid row
        assertThat(quality.missingSensorData().totalNumberOfMissingValues()).isZero();
        // Speed, Fan's sensor, has no value in any row ingested
        assertThat(quality.insufficientSensorData().missingCompleteSensorData().affectedSensorCount()).isEqualTo(1);
        // Pump's Flow and Temp, and Fan's Temp, span minutes: less than 14 days
        assertThat(quality.insufficientSensorData().sensorsWithShortDateRange().affectedSensorCount()).isEqualTo(3);
        assertThat(job.statusDetail()).isEqualTo("Ingested 7 row(s) from 2 file(s): 4 added, 0 updated, 0 unchanged, "
                + "1 replaced by a later row of the same component and timestamp, 2 failed");
        // the earliest and latest timestamp of the valid rows, to the second (without an offset: UTC)
        assertThat(job.dataStartTime()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(job.dataEndTime()).isEqualTo(Instant.parse("2024-01-01T00:10:00Z"));
        assertThat(job.sourceDatasetArn()).isNull();

        // the rows are records keyed by component and timestamp; the later of a repeated timestamp won
        JsonNode record = api.ok("intake", "GetRecord", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/turbine",
                "key", Map.of("ComponentName", "Pump", "Timestamp", "2024-01-01 00:00:00"))).get("record");
        assertThat(record.get("Flow").asDouble()).isEqualTo(1.7);
        assertThat(record.get("Speed").isNull()).isTrue();
        JsonNode fan = api.ok("intake", "GetRecord", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/turbine",
                "key", Map.of("ComponentName", "Fan", "Timestamp", "2024-01-01 00:10:00"))).get("record");
        assertThat(fan.get("Speed").isNull()).isTrue();
        assertThat(fan.get("Temp").asDouble()).isEqualTo(31);

        // the job is an Intake import job like any other
        JsonNode intakeJob = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + started.jobId())).get("importJob");
        assertThat(intakeJob.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(intakeJob.get("dataSource").get("dataLocation").asText()).isEqualTo("s3://" + BUCKET + "/exports/turbine/");

        DescribeDatasetResponse d = lookout.describeDataset(r -> r.datasetName("turbine"));
        assertThat(d.status()).isEqualTo(DatasetStatus.ACTIVE);
        assertThat(d.ingestionInputConfiguration()).isEqualTo(job.ingestionInputConfiguration());
        assertThat(d.ingestedFilesSummary()).isEqualTo(job.ingestedFilesSummary());
        assertThat(d.dataQualitySummary()).isEqualTo(job.dataQualitySummary());
        assertThat(d.roleArn()).isEqualTo(ROLE);
        assertThat(d.dataStartTime()).isEqualTo(job.dataStartTime());
        assertThat(d.dataEndTime()).isEqualTo(job.dataEndTime());
        assertThat(d.lastUpdatedAt()).isAfterOrEqualTo(job.createdAt());

        // the same token and request: the same job, as it is now; the token with another request: a conflict
        var again = lookout.startDataIngestionJob(r -> r.datasetName("turbine").roleArn(ROLE).clientToken("i-1")
                .ingestionInputConfiguration(c -> c.s3InputConfiguration(s -> s.bucket(BUCKET).prefix("exports/turbine/"))));
        assertThat(again.jobId()).isEqualTo(started.jobId());
        assertThat(again.status()).isEqualTo(IngestionJobStatus.SUCCESS);
        assertThatThrownBy(() -> lookout.startDataIngestionJob(r -> r.datasetName("turbine").roleArn(ROLE).clientToken("i-1")
                .ingestionInputConfiguration(input("exports/other/", null))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ClientToken 'i-1'");
    }

    /**
     * Missing and short-ranged sensor data, counted per sensor (a component's column) from the
     * statistics kept apart by component: Temp is complete for Pump and empty for Fan, which a merge
     * across components would hide; Pump's two files are one component's rows.
     */
    @Test
    void missingValuesAndShortDateRangesAreCountedPerComponentsSensor() throws Exception {
        String schema = """
                {"Components": [
                  {"ComponentName": "Pump", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                    {"Name": "Flow", "Type": "DOUBLE"}, {"Name": "Temp", "Type": "DOUBLE"}, {"Name": "Level", "Type": "DOUBLE"}]},
                  {"ComponentName": "Fan", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                    {"Name": "Speed", "Type": "DOUBLE"}, {"Name": "Temp", "Type": "DOUBLE"}]},
                  {"ComponentName": "Valve", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                    {"Name": "Position", "Type": "DOUBLE"}]}]}""";
        lookout.createDataset(r -> r.datasetName("quality").clientToken("t-quality").datasetSchema(s -> s.inlineDataSchema(schema)));
        // Pump: 20 days; Flow has 1 value and 2 empty ones, Temp every value, Level none
        put("quality/Pump/a.csv", "Timestamp,Flow,Temp,Level\n2024-01-01 00:00:00,1.0,20,\n2024-01-11 00:00:00,,21,\n");
        put("quality/Pump/b.csv", "Timestamp,Flow,Temp,Level\n2024-01-21 00:00:00,,22,\n");
        // Fan: 1 day; Speed has 1 value and 1 empty one, Temp none
        put("quality/Fan/a.csv", "Timestamp,Speed,Temp\n2024-01-01 00:00:00,5,\n2024-01-02 00:00:00,,\n");
        // Valve: no file at all

        var job = awaitEnd(ingest("quality", "quality/", null).jobId());
        assertThat(job.status()).isEqualTo(IngestionJobStatus.SUCCESS);
        assertThat(job.ingestedFilesSummary().ingestedNumberOfFiles()).isEqualTo(3);
        var quality = job.dataQualitySummary();
        // Pump's Flow (2) and Fan's Speed (1)
        assertThat(quality.missingSensorData().affectedSensorCount()).isEqualTo(2);
        assertThat(quality.missingSensorData().totalNumberOfMissingValues()).isEqualTo(3);
        // Pump's Level, Fan's Temp, Valve's Position
        assertThat(quality.insufficientSensorData().missingCompleteSensorData().affectedSensorCount()).isEqualTo(3);
        // Fan's Speed: Fan's rows span one day; Pump's span 20
        assertThat(quality.insufficientSensorData().sensorsWithShortDateRange().affectedSensorCount()).isEqualTo(1);
        assertThat(quality.invalidSensorData().affectedSensorCount()).isZero();
        assertThat(quality.duplicateTimestamps().totalNumberOfDuplicateTimestamps()).isZero();
        assertThat(lookout.describeDataset(r -> r.datasetName("quality")).dataQualitySummary()).isEqualTo(quality);
    }

    @Test
    void eachDocumentedKeyPatternAssignsFilesToComponents() throws Exception {
        Map<String, String> patterns = Map.of("_", "{prefix}/{component_name}_*", "-", "{prefix}/{component_name}-*",
                ".", "{prefix}/{component_name}.*", " ", "{prefix}/{component_name} *");
        for (var p : patterns.entrySet()) {
            String dataset = "kp" + (int) p.getKey().charAt(0);
            create(dataset, "t-" + dataset);
            String prefix = "exports/" + dataset + "/";
            put(prefix + "Pump" + p.getKey() + "2024.csv", PUMP);
            put(prefix + "Fan" + p.getKey() + "a" + p.getKey() + "b.csv", FAN);
            put(prefix + "Pump/2024.csv", PUMP); // the default pattern's form: not this pattern's
            var job = awaitEnd(ingest(dataset, prefix, p.getValue()).jobId());
            assertThat(job.status()).as(p.getValue()).isEqualTo(IngestionJobStatus.SUCCESS);
            assertThat(job.ingestionInputConfiguration().s3InputConfiguration().keyPattern()).isEqualTo(p.getValue());
            assertThat(job.ingestedFilesSummary().ingestedNumberOfFiles()).as(p.getValue()).isEqualTo(2);
            assertThat(job.ingestedFilesSummary().discardedFiles()).extracting(S3Object::key)
                    .containsExactly(prefix + "Pump/2024.csv");
        }
        assertThatThrownBy(() -> ingest("kp95", "exports/kp95/", "{prefix}/{component_name}+*"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("KeyPattern '{prefix}/{component_name}+*'");
        assertThatThrownBy(() -> ingest("kp95", "exports/kp95/", "{prefix}/*"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("KeyPattern");
    }

    @Test
    void theLongestComponentNameWinsAndAHeaderOfAnotherComponentFailsTheJob() throws Exception {
        String schema = """
                {"Components": [
                  {"ComponentName": "Pump", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"}, {"Name": "Flow", "Type": "DOUBLE"}]},
                  {"ComponentName": "Pump_2", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"}, {"Name": "Speed", "Type": "DOUBLE"}]}]}""";
        lookout.createDataset(r -> r.datasetName("pumps").clientToken("t-pumps").datasetSchema(s -> s.inlineDataSchema(schema)));
        put("exports/pumps/Pump_a.csv", "Timestamp,Flow\n2024-01-01 00:00:00,1\n");
        put("exports/pumps/Pump_2_a.csv", "Timestamp,Speed\n2024-01-01 00:00:00,2\n");
        var ok = awaitEnd(ingest("pumps", "exports/pumps/", "{prefix}/{component_name}_*").jobId());
        assertThat(ok.status()).isEqualTo(IngestionJobStatus.SUCCESS);
        JsonNode pump2 = api.ok("intake", "GetRecord", Map.of("datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/pumps",
                "key", Map.of("ComponentName", "Pump_2", "Timestamp", "2024-01-01 00:00:00"))).get("record");
        assertThat(pump2.get("Speed").asDouble()).isEqualTo(2);

        put("exports/pumps2/Pump/a.csv", "Timestamp,Speed\n2024-01-01 00:00:00,2\n"); // Pump has no Speed
        var failed = awaitEnd(ingest("pumps", "exports/pumps2/", null).jobId());
        assertThat(failed.status()).isEqualTo(IngestionJobStatus.FAILED);
        assertThat(failed.failedReason()).contains("exports/pumps2/Pump/a.csv", "'Speed'", "not one of this file's columns");
        assertThat(failed.statusDetail()).isEqualTo(failed.failedReason());
        // a failed ingestion leaves the dataset as the last good one made it
        assertThat(lookout.describeDataset(r -> r.datasetName("pumps")).status()).isEqualTo(DatasetStatus.ACTIVE);

        var none = awaitEnd(ingest("pumps", "exports/nothing-here/", null).jobId());
        assertThat(none.status()).isEqualTo(IngestionJobStatus.FAILED);
        assertThat(none.failedReason()).contains("No file found");
    }

    @Test
    void startDataIngestionJobRefusesWhatItCannotRead() {
        create("guarded", "t-guarded");
        assertThatThrownBy(() -> ingest("missing", "exports/x/", null))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("'missing' does not exist");
        assertThatThrownBy(() -> lookout.startDataIngestionJob(r -> r.datasetName("guarded").roleArn(ROLE)
                .clientToken("g-1").ingestionInputConfiguration(c -> c.s3InputConfiguration(s -> s.bucket("elsewhere")))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("elsewhere");
        assertThatThrownBy(() -> lookout.startDataIngestionJob(r -> r.datasetName("guarded")
                .roleArn("arn:aws:iam::000000000000:role/someone-else").clientToken("g-2")
                .ingestionInputConfiguration(input("exports/x/", null))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("someone-else");
        // the model's checks: a Prefix must end with '/'
        assertThatThrownBy(() -> ingest("guarded", "exports/x", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Prefix");
        // refused requests left no job and no token: g-1 starts a job now
        assertThat(lookout.listDataIngestionJobs(r -> r.datasetName("guarded")).dataIngestionJobSummaries()).isEmpty();
        assertThat(lookout.startDataIngestionJob(r -> r.datasetName("guarded").roleArn(ROLE).clientToken("g-1")
                .ingestionInputConfiguration(input("exports/x/", null))).jobId()).isNotNull();
        assertThatThrownBy(() -> lookout.describeDataIngestionJob(r -> r.jobId("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void ingestionJobsAreListedByDatasetAndStatusInTheOrderTheyStarted() throws Exception {
        create("listed", "t-listed");
        put("exports/listed/Pump/a.csv", PUMP);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(awaitEnd(ingest("listed", "exports/listed/", null).jobId()).jobId());
        }
        String failed = awaitEnd(ingest("listed", "exports/listed-none/", null).jobId()).jobId();

        List<String> all = new ArrayList<>();
        lookout.listDataIngestionJobsPaginator(r -> r.datasetName("listed").maxResults(1)).stream()
                .flatMap(p -> p.dataIngestionJobSummaries().stream()).forEach(s -> all.add(s.jobId()));
        assertThat(all).containsExactly(ids.get(0), ids.get(1), ids.get(2), failed);

        ListDataIngestionJobsResponse failures = lookout.listDataIngestionJobs(r -> r.datasetName("listed")
                .status(IngestionJobStatus.FAILED));
        assertThat(failures.dataIngestionJobSummaries()).hasSize(1);
        DataIngestionJobSummary s = failures.dataIngestionJobSummaries().get(0);
        assertThat(s.jobId()).isEqualTo(failed);
        assertThat(s.datasetName()).isEqualTo("listed");
        assertThat(s.datasetArn()).isEqualTo(lookout.describeDataset(r -> r.datasetName("listed")).datasetArn());
        assertThat(s.status()).isEqualTo(IngestionJobStatus.FAILED);
        assertThat(s.ingestionInputConfiguration()).isEqualTo(input("exports/listed-none/", "{prefix}/{component_name}/*"));

        var page = lookout.listDataIngestionJobs(r -> r.datasetName("listed").maxResults(2));
        assertThat(page.nextToken()).isNotNull();
        assertThatThrownBy(() -> lookout.listDataIngestionJobs(r -> r.datasetName("turbine").nextToken(page.nextToken())))
                .isInstanceOf(ValidationException.class);
        assertThat(lookout.listDataIngestionJobs(r -> r.datasetName("no-such")).dataIngestionJobSummaries()).isEmpty();
    }

    @Test
    void datasetsAreTaggedUntaggedAndListed() {
        String arn = lookout.createDataset(r -> r.datasetName("tagged").clientToken("t-tagged")
                .datasetSchema(s -> s.inlineDataSchema(SCHEMA)).tags(Tag.builder().key("a").value("1").build()))
                .datasetArn();
        lookout.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("b").value("2").build(),
                Tag.builder().key("a").value("3").build()));
        assertThat(lookout.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactly(
                Tag.builder().key("a").value("3").build(), Tag.builder().key("b").value("2").build());
        lookout.untagResource(r -> r.resourceArn(arn).tagKeys("a", "never"));
        assertThat(lookout.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(Tag.builder().key("b").value("2").build());

        List<Tag> many = IntStream.range(0, 200).mapToObj(i -> Tag.builder().key("k" + i).value("v").build()).toList();
        assertThatThrownBy(() -> lookout.tagResource(r -> r.resourceArn(arn).tags(many)))
                .isInstanceOf(ServiceQuotaExceededException.class).hasMessageContaining("at most 200");
        assertThatThrownBy(() -> lookout.listTagsForResource(r -> r.resourceArn(ARN + "tagged/not-its-id")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lookout.tagResource(r -> r.resourceArn("arn:aws:lookoutequipment:us-east-1:000000000000:model/m")
                .tags(Tag.builder().key("a").value("1").build())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lookout.untagResource(r -> r.resourceArn(ARN + "gone/x").tagKeys("a")))
                .isInstanceOf(ResourceNotFoundException.class);
        // the model's checks: aws: keys are refused
        assertThatThrownBy(() -> lookout.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("aws:x").value("1").build())))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aDatasetWithAnIngestionWaitingOrRunningCannotBeDeleted() throws Exception {
        create("busy", "t-busy");
        StringBuilder big = new StringBuilder("Timestamp,Flow,Temp\n");
        for (int i = 0; i < 200_000; i++) {
            big.append("2024-01-01 00:00:00,").append(i).append(",1\n");
        }
        put("exports/busy/Pump/big.csv", big.toString());
        String jobId = ingest("busy", "exports/busy/", null).jobId();
        assertThatThrownBy(() -> lookout.deleteDataset(r -> r.datasetName("busy")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ingestion job waiting or running");
        assertThat(lookout.describeDataset(r -> r.datasetName("busy")).status()).isEqualTo(DatasetStatus.INGESTION_IN_PROGRESS);
        assertThat(awaitEnd(jobId).status()).isEqualTo(IngestionJobStatus.SUCCESS);
        lookout.deleteDataset(r -> r.datasetName("busy"));
        // its jobs stay describable
        assertThat(lookout.describeDataIngestionJob(r -> r.jobId(jobId)).status()).isEqualTo(IngestionJobStatus.SUCCESS);
    }

    @Test
    void aDatasetDeletedThroughIntakesApiIsGoneFromLookoutAndItsNameIsNotLookoutsWhenMadeAgainThere() throws Exception {
        create("shared", "t-shared");
        String intakeArn = "arn:aws:personalize:us-east-1:000000000000:dataset/shared";
        api.ok("intake", "DeleteDataset", Map.of("datasetArn", intakeArn));
        assertThatThrownBy(() -> lookout.describeDataset(r -> r.datasetName("shared")))
                .isInstanceOf(ResourceNotFoundException.class);
        Instant deadline = Instant.now().plusSeconds(30);
        while (api.call("intake", "DescribeDataset", Map.of("datasetArn", intakeArn)).ok()) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(50);
        }
        api.ok("intake", "CreateDataset", Map.of("name", "shared", "keyFields", List.of("ID"), "schema",
                "{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}"));
        assertThatThrownBy(() -> lookout.describeDataset(r -> r.datasetName("shared")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(lookout.listDatasets(r -> r.datasetNameBeginsWith("shared")).datasetSummaries()).isEmpty();
        assertThatThrownBy(() -> create("shared", "t-shared-2"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("shared with Intake's other APIs");
    }
}
