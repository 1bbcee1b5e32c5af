package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.Dataset;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetExportJobSummary;
import software.amazon.awssdk.services.personalize.model.IngestionMode;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.InvalidNextTokenException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.Tag;
import software.amazon.awssdk.services.personalize.model.TooManyTagsException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Personalize's dataset export jobs through the stock SDK v2 client pointed at the local server,
 * run by the real export state machine: every field read back, every error the model lists that
 * Intake raises, and the round trip (hostile CSV imported, exported, the export imported into a
 * second dataset: the same records).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonalizeExportSdkTest {
    private static final String ARN = "arn:aws:personalize:us-east-1:000000000000:";
    private static final String ROLE = "arn:aws:iam::000000000000:role/exporter";
    private static final String LANDING = LocalRuntime.LANDING_BUCKET;
    /** An allowed import source whose bucket does not exist: writing there fails. */
    private static final String MISSING_BUCKET = "intake-missing-exports";
    private static final String ITEMS = """
            {"type":"record","name":"Items","fields":[{"name":"ITEM_ID","type":"string"},
              {"name":"TITLE","type":["null","string"],"default":null},{"name":"NOTE","type":"string"},
              {"name":"PRICE","type":["null","double"],"default":null},{"name":"STOCK","type":["null","long"],"default":null},
              {"name":"RANK","type":["null","int"],"default":null},{"name":"RATIO","type":["null","float"],"default":null},
              {"name":"ACTIVE","type":["null","boolean"],"default":null}]}""";
    private static final String HEADER = "ITEM_ID,TITLE,NOTE,PRICE,STOCK,RANK,RATIO,ACTIVE";
    /**
     * Values CSV makes hard: commas, quotes, line breaks (LF, CRLF, a lone CR) inside values, an
     * empty string next to a missing value, blank and padded strings, unicode (CJK, emoji,
     * combining marks, right-to-left, a byte order mark inside a value), the ends of each number
     * type, numbers in odd but valid forms, booleans in any case.
     */
    private static final String HOSTILE = HEADER + "\n"
            + "i01,\"comma, inside\",\"He said \"\"hi\"\"\",1.5,9223372036854775807,2147483647,0.1,TRUE\n"
            + "i02,\"\",plain,,,,,\n"
            + "i03,,\"\",0,-9223372036854775808,-2147483648,3.4028235E38,false\n"
            + "i04,\"multi\nline\ntitle\",\"crlf\r\ninside\",1e300,1.0e2,1E+2,1e-45,True\n"
            + "\"k,1\",\"lone\rcr\",\"\"\"\",-0,0,0,0,fAlSe\n"
            + "ключ-1,日本語 ✓ 🎉,\"e\u0301 שלום \uFEFFx\",123.4560,-1,-1,-1.5,\n"
            + "i05,\"   \",\"  padded  \",1.7976931348623157E308,42,7,1.25,true\n"
            + "i06,\"\"\"quoted\"\" start\",\"tab\there\",4.9E-324,,,,\n"
            + "i07,007,\"\"\"\",-123.456e-7,  8  , 9 ,\t2.5\t, true \n";

    private LocalRuntime runtime;
    private PersonalizeClient personalize;

    @BeforeAll
    void start() throws Exception {
        // a small chunk size: exports write parts of about that many characters, so several here
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withChunkBytes(600)
                .withImportRoleArn(ROLE).withImportSource("s3://" + MISSING_BUCKET + "/"));
        personalize = PersonalizeClient.builder().endpointOverride(runtime.apiEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        personalize.createSchema(r -> r.name("x-items").schema(ITEMS));
    }

    @AfterAll
    void stop() throws Exception {
        personalize.close();
        runtime.close();
    }

    private String itemsDataset(String group) {
        String groupArn = personalize.createDatasetGroup(r -> r.name(group)).datasetGroupArn();
        return personalize.createDataset(r -> r.name(group + "-items").datasetGroupArn(groupArn).datasetType("Items")
                .schemaArn(ARN + "schema/x-items")).datasetArn();
    }

    private void put(String key, String text) {
        runtime.s3().client().putObject(r -> r.bucket(LANDING).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private String get(String key) {
        return runtime.s3().client().getObjectAsBytes(r -> r.bucket(LANDING).key(key)).asUtf8String();
    }

    private void importInto(String datasetArn, String job, String location) throws InterruptedException {
        personalize.createDatasetImportJob(r -> r.jobName(job).datasetArn(datasetArn).dataSource(d -> d.dataLocation(location)));
        String arn = ARN + "dataset-import-job/" + job;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status;
        while (!(status = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(arn)).datasetImportJob().status())
                .equals("ACTIVE")) {
            assertThat(status).as(job).isNotEqualTo("CREATE FAILED");
            assertThat(System.nanoTime()).as(job + " ends in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        var described = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(arn)).datasetImportJob();
        assertThat(described.failureReason()).isNull();
    }

    /** Waits for the export job to end, and returns it as DescribeDatasetExportJob shows it. */
    private DatasetExportJob awaitExport(String arn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            DatasetExportJob job = personalize.describeDatasetExportJob(r -> r.datasetExportJobArn(arn)).datasetExportJob();
            if (job.status().equals("ACTIVE") || job.status().equals("CREATE FAILED")) {
                return job;
            }
            assertThat(job.status()).isIn("CREATE PENDING", "CREATE IN_PROGRESS");
            assertThat(System.nanoTime()).as("the export ends in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Every record of a dataset's current generation, by key, as its canonical JSON. */
    private Map<String, String> records(String datasetArn) {
        String name = datasetArn.substring((ARN + "dataset/").length()).replace('/', '.');
        Dataset dataset = runtime.services().datasetStore.find(name).orElseThrow();
        Map<String, String> all = new TreeMap<>();
        String cursor = null;
        do {
            Page<RecordEntry> page = runtime.services().records.list(name, dataset.generation(), cursor, 3);
            page.items().forEach(r -> assertThat(all.put(r.key(), r.canonical())).as("listed once: " + r.key()).isNull());
            cursor = page.lastKey();
        } while (cursor != null);
        return all;
    }

    @Test
    void anExportOfHostileValuesImportsBackToTheSameRecords() throws Exception {
        String source = itemsDataset("rt-a");
        StringBuilder csv = new StringBuilder(HOSTILE);
        for (int i = 0; i < 40; i++) {
            csv.append("n").append(i).append(",title ").append(i).append(",note ").append(i).append(',').append(i)
                    .append(".5,").append(i * 1000L).append(',').append(i).append(",0.5,").append(i % 2 == 0).append('\n');
        }
        put("rt/hostile.csv", csv.toString());
        importInto(source, "rt-import", "s3://" + LANDING + "/rt/hostile.csv");
        Map<String, String> imported = records(source);
        assertThat(imported).hasSize(49);
        assertThat(imported.get("i02")).isEqualTo(
                "{\"ITEM_ID\":\"i02\",\"TITLE\":\"\",\"NOTE\":\"plain\",\"PRICE\":null,\"STOCK\":null,\"RANK\":null,"
                        + "\"RATIO\":null,\"ACTIVE\":null}");
        assertThat(imported.get("i03")).startsWith("{\"ITEM_ID\":\"i03\",\"TITLE\":null,\"NOTE\":\"\",");

        Instant before = Instant.now().minusSeconds(1);
        String arn = personalize.createDatasetExportJob(r -> r.jobName("rt-export").datasetArn(source)
                .ingestionMode(IngestionMode.BULK).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + LANDING + "/exports/")
                        .kmsKeyArn("arn:aws:kms:us-east-1:000000000000:key/k1")))
                .tags(Tag.builder().tagKey("purpose").tagValue("round trip").build())).datasetExportJobArn();
        assertThat(arn).isEqualTo(ARN + "dataset-export-job/rt-export");
        DatasetExportJob job = awaitExport(arn);
        assertThat(job.failureReason()).isNull();
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(job.jobName()).isEqualTo("rt-export");
        assertThat(job.datasetExportJobArn()).isEqualTo(arn);
        assertThat(job.datasetArn()).isEqualTo(source);
        assertThat(job.ingestionMode()).isEqualTo(IngestionMode.BULK);
        assertThat(job.roleArn()).isEqualTo(ROLE);
        assertThat(job.jobOutput().s3DataDestination().path()).isEqualTo("s3://" + LANDING + "/exports/");
        assertThat(job.jobOutput().s3DataDestination().kmsKeyArn()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/k1");
        assertThat(job.creationDateTime()).isAfter(before);
        assertThat(job.lastUpdatedDateTime()).isAfterOrEqualTo(job.creationDateTime()).isBefore(Instant.now().plusSeconds(1));
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(Tag.builder().tagKey("purpose").tagValue("round trip").build());
        personalize.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().tagKey("more").tagValue("x").build()));
        personalize.untagResource(r -> r.resourceArn(arn).tagKeys("purpose"));
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(Tag.builder().tagKey("more").tagValue("x").build());
        assertThatThrownBy(() -> personalize.listTagsForResource(r -> r.resourceArn(ARN + "dataset-export-job/nope")))
                .isInstanceOf(ResourceNotFoundException.class);

        // several part files in the job's folder, each a CSV with the header, named in order
        List<String> parts = runtime.s3().client().listObjectsV2(r -> r.bucket(LANDING).prefix("exports/rt-export/"))
                .contents().stream().map(S3Object::key).toList();
        assertThat(parts.size()).as("parts").isGreaterThan(2);
        assertThat(parts).containsExactlyElementsOf(IntStream.range(0, parts.size())
                .mapToObj(i -> String.format("exports/rt-export/part-%05d.csv", i)).toList());
        for (String part : parts) {
            assertThat(get(part)).startsWith(HEADER + "\n");
        }
        String all = String.join("", parts.stream().map(this::get).toList());
        assertThat(all).contains("i02,\"\",plain,,,,,\n").contains("i03,,\"\",0.0,-9223372036854775808,-2147483648,")
                .contains("\"k,1\",\"lone\rcr\",\"\"\"\",").contains("i05,\"   \",  padded  ,1.7976931348623157E308,42,7,")
                .contains("ключ-1,日本語 ✓ 🎉,e\u0301 שלום \uFEFFx,123.456,-1,-1,-1.5,\n");

        // the exported folder, imported into a second dataset, holds the same records
        String copy = itemsDataset("rt-b");
        importInto(copy, "rt-reimport", "s3://" + LANDING + "/exports/rt-export/");
        assertThat(records(copy)).isEqualTo(imported);
    }

    @Test
    void putDataIsNoneSoTheDefaultModeExportsTheHeaderOnly() throws Exception {
        String dataset = itemsDataset("put-mode");
        put("put/items.csv", HEADER + "\np1,t,n,1,2,3,4,true\n");
        importInto(dataset, "put-import", "s3://" + LANDING + "/put/items.csv");
        String arn = personalize.createDatasetExportJob(r -> r.jobName("put-export").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + LANDING + "/put-exports")))).datasetExportJobArn();
        DatasetExportJob job = awaitExport(arn);
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(job.ingestionMode()).as("the model's default").isEqualTo(IngestionMode.PUT);
        assertThat(job.jobOutput().s3DataDestination().path()).isEqualTo("s3://" + LANDING + "/put-exports");
        assertThat(job.jobOutput().s3DataDestination().kmsKeyArn()).isNull();
        assertThat(get("put-exports/put-export/part-00000.csv")).isEqualTo(HEADER + "\n");
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();

        String all = personalize.createDatasetExportJob(r -> r.jobName("all-export").datasetArn(dataset).roleArn(ROLE)
                .ingestionMode(IngestionMode.ALL).jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + LANDING + "/put-exports/"))))
                .datasetExportJobArn();
        assertThat(awaitExport(all).status()).isEqualTo("ACTIVE");
        assertThat(get("put-exports/all-export/part-00000.csv")).isEqualTo(HEADER + "\np1,t,n,1.0,2,3,4.0,true\n");
    }

    @Test
    void aDestinationThatCannotBeWrittenFailsTheJobWithTheReason() throws Exception {
        String dataset = itemsDataset("fail-dest");
        put("fail/items.csv", HEADER + "\nf1,t,n,1,2,3,4,true\n");
        importInto(dataset, "fail-import", "s3://" + LANDING + "/fail/items.csv");
        String arn = personalize.createDatasetExportJob(r -> r.jobName("fail-export").datasetArn(dataset).roleArn(ROLE)
                .ingestionMode(IngestionMode.BULK)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + MISSING_BUCKET + "/out/")))).datasetExportJobArn();
        DatasetExportJob job = awaitExport(arn);
        assertThat(job.status()).isEqualTo("CREATE FAILED");
        assertThat(job.failureReason()).startsWith("Could not write s3://" + MISSING_BUCKET + "/out/fail-export/part-00000.csv: ")
                .contains("does not exist");
        DatasetExportJobSummary summary = personalize.listDatasetExportJobs(r -> r.datasetArn(dataset)).datasetExportJobs().get(0);
        assertThat(summary.status()).isEqualTo("CREATE FAILED");
        assertThat(summary.failureReason()).isEqualTo(job.failureReason());
    }

    @Test
    void exportJobsAreListedByNameInPagesAndByDataset() throws Exception {
        String first = itemsDataset("list-a");
        String second = itemsDataset("list-b");
        List<String> arns = new ArrayList<>();
        for (String name : List.of("list-3", "list-1", "list-2")) {
            arns.add(personalize.createDatasetExportJob(r -> r.jobName(name).datasetArn(name.equals("list-2") ? second : first)
                    .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path("s3://" + LANDING + "/lists/"))))
                    .datasetExportJobArn());
        }
        for (String arn : arns) {
            assertThat(awaitExport(arn).status()).isEqualTo("ACTIVE");
        }
        List<DatasetExportJobSummary> listed = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = personalize.listDatasetExportJobs(r -> r.datasetArn(first).maxResults(1).nextToken(next));
            assertThat(page.datasetExportJobs()).hasSizeLessThanOrEqualTo(1);
            listed.addAll(page.datasetExportJobs());
            token = page.nextToken();
        } while (token != null);
        assertThat(listed.stream().map(DatasetExportJobSummary::jobName)).containsExactly("list-1", "list-3");
        DatasetExportJob described = personalize.describeDatasetExportJob(r -> r.datasetExportJobArn(ARN
                + "dataset-export-job/list-1")).datasetExportJob();
        DatasetExportJobSummary summary = listed.get(0);
        assertThat(summary.datasetExportJobArn()).isEqualTo(ARN + "dataset-export-job/list-1");
        assertThat(summary.status()).isEqualTo("ACTIVE");
        assertThat(summary.creationDateTime()).isEqualTo(described.creationDateTime());
        assertThat(summary.lastUpdatedDateTime()).isEqualTo(described.lastUpdatedDateTime());
        assertThat(summary.failureReason()).isNull();

        assertThat(personalize.listDatasetExportJobs(r -> r.maxResults(100)).datasetExportJobs().stream()
                .map(DatasetExportJobSummary::jobName)).containsSubsequence("list-1", "list-2", "list-3");
        assertThat(personalize.listDatasetExportJobs(r -> r.datasetArn(ARN + "dataset/list-a/USERS")).datasetExportJobs())
                .isEmpty();
        String firstToken = personalize.listDatasetExportJobs(r -> r.datasetArn(first).maxResults(1)).nextToken();
        assertThatThrownBy(() -> personalize.listDatasetExportJobs(r -> r.maxResults(1).nextToken(firstToken)))
                .as("a token is bound to its dataset").isInstanceOf(InvalidNextTokenException.class);
        assertThatThrownBy(() -> personalize.listDatasetExportJobs(r -> r.nextToken("forged")))
                .isInstanceOf(InvalidNextTokenException.class);
    }

    @Test
    void eachErrorTheModelListsIsRaisedWhereItApplies() throws Exception {
        String dataset = itemsDataset("errors");
        String out = "s3://" + LANDING + "/errors/";
        String arn = personalize.createDatasetExportJob(r -> r.jobName("err-1").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out)))).datasetExportJobArn();
        awaitExport(arn);
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-1").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out))))).isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(ARN + "dataset/nope/ITEMS")
                .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path(out))))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.describeDatasetExportJob(r -> r.datasetExportJobArn(ARN
                + "dataset-export-job/err-2"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://elsewhere-bucket/out/")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Exports write only inside the import sources")
                .hasMessageContaining("may not read s3://elsewhere-bucket/out/");
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset)
                .roleArn("arn:aws:iam::000000000000:role/other").jobOutput(o -> o.s3DataDestination(d -> d.path(out)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("role/other");
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("https://" + LANDING + "/out/")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be an S3 folder");
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("-bad name").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out))))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset).roleArn(ROLE)
                .ingestionMode("SOME").jobOutput(o -> o.s3DataDestination(d -> d.path(out))))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out))).tags(IntStream.range(0, 51)
                        .mapToObj(i -> Tag.builder().tagKey("k" + i).tagValue("v").build()).toList())))
                .isInstanceOf(TooManyTagsException.class);
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out))).tags(Tag.builder().tagKey("aws:x").tagValue("v").build())))
                .isInstanceOf(InvalidInputException.class);
        String groupArn = ARN + "dataset-group/errors";
        String actions = personalize.createDataset(r -> r.name("errors-actions").datasetGroupArn(groupArn).datasetType("Actions")
                .schemaArn(personalize.createSchema(s -> s.name("x-actions").schema(
                        "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"ACTION_ID\",\"type\":\"string\"}]}"))
                        .schemaArn())).datasetArn();
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(actions).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out))))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Actions");
        personalize.deleteDataset(r -> r.datasetArn(actions));
        // a dataset being deleted (or gone) cannot be exported
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset.replace("ITEMS", "ACTIONS"))
                .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path(out)))))
                .isInstanceOf(InvalidInputException.class);
        runtime.services().datasets.delete("errors.ITEMS");
        assertThatThrownBy(() -> personalize.createDatasetExportJob(r -> r.jobName("err-2").datasetArn(dataset).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path(out))))).isInstanceOfAny(ResourceInUseException.class,
                ResourceNotFoundException.class);
        // nothing of a refused request was kept
        assertThatThrownBy(() -> personalize.describeDatasetExportJob(r -> r.datasetExportJobArn(ARN
                + "dataset-export-job/err-2"))).isInstanceOf(ResourceNotFoundException.class);
    }
}
