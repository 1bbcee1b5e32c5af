package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.Services;
import dev.intake.core.ChunkTask;
import dev.intake.core.ImportFailedException;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import engine against DynamoDB Local and S3Proxy, driving the workflow steps directly so
 * that retries and chunk orders can be chosen.
 */
class ImportEngineTest {
    static final String SCHEMA = """
            {"type":"record","name":"Items","fields":[
              {"name":"ID","type":"string"},{"name":"NAME","type":"string"},{"name":"PRICE","type":["null","double"],"default":null}]}""";
    private static AwsFixture aws;
    private static Services services;
    private static int counter;

    @BeforeAll
    static void start() throws Exception {
        aws = new AwsFixture();
        services = aws.services(64); // tiny chunks: a few rows each, so duplicates cross chunks
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + (++counter);
    }

    private static String dataset() {
        String name = unique("ds");
        services.datasets.create(name, SCHEMA, List.of("ID"));
        return name;
    }

    private static ImportJob run(String dataset, String location, ImportMode mode, boolean shuffle, boolean retryEach) {
        ImportJob job = services.jobs.create(new NewImport(unique("job"), dataset, location, mode, null, Map.of(), false, null));
        assertThat(services.workflow.turn(job.name()).name()).isEqualTo("GO");
        services.workflow.start(job.name());
        List<ChunkTask> chunks = new ArrayList<>(services.workflow.plan(job.name()));
        if (shuffle) {
            Collections.shuffle(chunks, new Random(counter));
        }
        for (ChunkTask chunk : chunks) {
            services.workflow.ingest(job.name(), chunk);
            if (retryEach) {
                services.workflow.ingest(job.name(), chunk);
            }
        }
        return services.workflow.finish(job.name(), chunks.size());
    }

    private static String record(String dataset, String id) {
        return services.datasets.record(dataset, Map.of("ID", id)).orElse(null);
    }

    private static String csv(int from, int to, String suffix) {
        StringBuilder sb = new StringBuilder("ID,NAME,PRICE\n");
        for (int i = from; i < to; i++) {
            sb.append("id-").append(i).append(",\"name, ").append(i).append(suffix).append("\",").append(i).append(".5\n");
        }
        return sb.toString();
    }

    @Test
    void fullThenIncrementalCountsAddedUnchangedUpdated() {
        String ds = dataset();
        aws.put(ds + "/a.csv", csv(0, 20, ""));
        ImportJob full = run(ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, false, false);
        assertThat(full.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(full.statistics()).isEqualTo(new ImportStatistics(20, 0, 0, 0, 0, 1, 1, 0, csv(0, 20, "").length()));

        ImportJob same = run(ds, "s3://data/" + ds + "/a.csv", ImportMode.INCREMENTAL, false, false);
        assertThat(same.statistics().unchanged()).isEqualTo(20);
        assertThat(same.statistics().added() + same.statistics().updated()).isZero();

        aws.put(ds + "/b.csv", csv(15, 25, " v2"));
        ImportJob changed = run(ds, "s3://data/" + ds + "/b.csv", ImportMode.INCREMENTAL, false, false);
        assertThat(changed.statistics().updated()).isEqualTo(5);
        assertThat(changed.statistics().added()).isEqualTo(5);
        assertThat(record(ds, "id-16")).contains("name, 16 v2");
        assertThat(record(ds, "id-3")).contains("name, 3\"");
    }

    @Test
    void fullWithFewerRowsRemovesTheRest() {
        String ds = dataset();
        aws.put(ds + "/all.csv", csv(0, 10, ""));
        run(ds, "s3://data/" + ds + "/all.csv", ImportMode.FULL, false, false);
        aws.put(ds + "/some.csv", csv(0, 4, ""));
        ImportJob fewer = run(ds, "s3://data/" + ds + "/some.csv", ImportMode.FULL, false, false);
        assertThat(fewer.statistics().unchanged()).isEqualTo(4);
        assertThat(record(ds, "id-2")).isNotNull();
        assertThat(record(ds, "id-7")).isNull();
    }

    @Test
    void aReplacedGenerationIsDeletedEvenWhenTheFirstCleanUpFails() {
        String ds = dataset();
        aws.put(ds + "/a.csv", csv(0, 5, ""));
        run(ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, false, false);
        String firstGeneration = services.datasets.describe(ds).generation();

        // A workflow whose record store fails the first generation delete, as a crash would.
        var failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        var real = new dev.intake.adapters.dynamodb.DynamoRecordStore(aws.dynamo.client(), aws.tables());
        var records = new dev.intake.core.ports.RecordStore() {
            @Override
            public Map<String, dev.intake.core.ports.StoredRecord> read(String d, String g, java.util.Collection<String> k) {
                return real.read(d, g, k);
            }

            @Override
            public boolean commit(String d, String g, String j, List<dev.intake.core.ports.RecordWrite> w) {
                return real.commit(d, g, j, w);
            }

            @Override
            public boolean superseded(String j, String k, long seq) {
                return real.superseded(j, k, seq);
            }

            @Override
            public java.util.Optional<String> get(String d, String g, String k) {
                return real.get(d, g, k);
            }

            @Override
            public void deleteGeneration(String dataset, String generation) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("crashed while cleaning up");
                }
                real.deleteGeneration(dataset, generation);
            }
        };
        var workflow = new dev.intake.core.ImportWorkflow(
                new dev.intake.adapters.dynamodb.DynamoDatasetStore(aws.dynamo.client(), aws.tables().control()),
                new dev.intake.adapters.dynamodb.DynamoJobStore(aws.dynamo.client(), aws.tables().control()), records,
                dev.intake.core.ports.ObjectStores.single(new dev.intake.adapters.s3.S3ObjectStore(aws.s3.client())),
                dev.intake.core.ports.ImportMetrics.NONE, new dev.intake.core.EngineSettings("results", 64),
                java.time.Clock.systemUTC());
        ImportJob second = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/a.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        workflow.start(second.name());
        List<ChunkTask> chunks = workflow.plan(second.name());
        chunks.forEach(c -> workflow.ingest(second.name(), c));
        assertThatThrownBy(() -> workflow.finish(second.name(), chunks.size())).hasMessage("crashed while cleaning up");

        assertThat(services.jobs.describe(second.name()).status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(services.datasets.describe(ds).retiredGenerations()).containsExactly(firstGeneration);
        assertThat(services.records.get(ds, firstGeneration, "id-1")).as("not deleted yet").isPresent();

        workflow.finish(second.name(), chunks.size()); // the state machine's retry
        assertThat(services.datasets.describe(ds).retiredGenerations()).isEmpty();
        assertThat(services.records.get(ds, firstGeneration, "id-1")).isEmpty();
        assertThat(record(ds, "id-1")).isNotNull();
    }

    @Test
    void duplicatesAcrossChunksCountOnceWhateverTheOrderAndRetries() {
        String ds = dataset();
        // Every key appears three times, in different chunks and files; the last row must win.
        aws.put(ds + "/dups/1.csv", csv(0, 30, " first"));
        aws.put(ds + "/dups/2.csv", csv(0, 30, " second"));
        aws.put(ds + "/dups/3.csv", csv(10, 30, " third"));
        for (boolean shuffle : List.of(false, true)) {
            for (boolean retry : List.of(false, true)) {
                String target = dataset();
                ImportJob job = run(target, "s3://data/" + ds + "/dups/", ImportMode.FULL, shuffle, retry);
                assertThat(job.statistics().added()).as("shuffle=%s retry=%s", shuffle, retry).isEqualTo(30);
                assertThat(job.statistics().skipped()).isEqualTo(50);
                assertThat(record(target, "id-5")).contains("5 second");
                assertThat(record(target, "id-25")).contains("25 third");
            }
        }
    }

    @Test
    void badRowsAreCountedAndReportedUnderTheThresholdAndFailTheJobOverIt() {
        String ds = dataset();
        String rows = csv(0, 30, "") + "id-x,broken,notanumber\n" + "id-y,too,many,fields\n";
        aws.put(ds + "/bad.csv", rows);
        ImportJob ok = run(ds, "s3://data/" + ds + "/bad.csv", ImportMode.FULL, false, false);
        assertThat(ok.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(ok.statistics().failed()).isEqualTo(2);
        assertThat(ok.errorReportLocation()).isEqualTo("s3://results/error-reports/" + ok.name() + ".csv");
        assertThat(aws.read("results", "error-reports/" + ok.name() + ".csv"))
                .contains(",32,\"field 'PRICE' has value 'notanumber', which is not a double")
                .contains("\"s3://data/" + ds + "/bad.csv\",33,\"expected 3 fields but found 4\"");

        String before = record(ds, "id-3");
        aws.put(ds + "/worse.csv", "ID,NAME,PRICE\nid-3,changed,1\nid-4,x,y\nid-5,x,z\n");
        ImportJob failed = run(ds, "s3://data/" + ds + "/worse.csv", ImportMode.FULL, false, false);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failureReason()).startsWith("2 of 3 rows failed validation (66.7%), more than the job's limit of 10%. "
                + "First errors: s3://data/" + ds + "/worse.csv line 3: field 'PRICE' has value 'y', which is not a double;");
        assertThat(record(ds, "id-3")).as("a failed FULL import leaves the data as it was").isEqualTo(before);
        assertThat(record(ds, "id-29")).isNotNull();
    }

    @Test
    void chunksGrowRatherThanOutnumberWhatTheStateMachineCarries() {
        String ds = dataset();
        aws.put(ds + "/big.csv", csv(0, 3000, " with a longer name")); // ~120 KB in 64-byte chunks: ~1,900
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/big.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        assertThat(chunks.size()).isBetween(400, 501);
        chunks.forEach(c -> services.workflow.ingest(job.name(), c));
        ImportJob done = services.workflow.finish(job.name(), chunks.size());
        assertThat(done.statistics().added()).isEqualTo(3000);
        assertThat(record(ds, "id-2999")).contains("2999 with a longer name");
    }

    @Test
    void aFileReplacedAfterPlanningFailsTheImportInsteadOfMixingVersions() {
        String ds = dataset();
        aws.put(ds + "/moving.csv", csv(0, 10, ""));
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/moving.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        aws.put(ds + "/moving.csv", csv(0, 10, " changed"));
        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0))).isInstanceOf(ImportFailedException.class)
                .hasMessage("s3://data/" + ds + "/moving.csv was replaced while it was being imported; import it again");
    }

    @Test
    void tooManyFilesFailWithAReason() {
        String ds = dataset();
        for (int i = 0; i < 501; i++) {
            aws.put(ds + "/many/part-" + i + ".csv", "ID,NAME\n");
        }
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/many/",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        assertThatThrownBy(() -> services.workflow.plan(job.name())).isInstanceOf(ImportFailedException.class)
                .hasMessage("s3://data/" + ds + "/many/ holds 501 data files; one import reads at most 500 files: "
                        + "import the folder in parts (sub-folders), or combine files");
    }

    @Test
    void planFailuresNameTheProblem() {
        String ds = dataset();
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/nothing-here/", ImportMode.FULL,
                null, Map.of(), false, null));
        services.workflow.start(job.name());
        assertThatThrownBy(() -> services.workflow.plan(job.name())).isInstanceOf(ImportFailedException.class)
                .hasMessage("No file found at s3://data/nothing-here/ (the folder is empty or does not exist)");

        aws.put(ds + "/header.csv", "ID,TITLE\na,b\n");
        ImportJob header = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/header.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        assertThatThrownBy(() -> services.workflow.plan(header.name()))
                .hasMessageStartingWith("The header of s3://data/" + ds + "/header.csv does not match the dataset schema: column 'TITLE'");

        ImportJob noBucket = services.jobs.create(new NewImport(unique("job"), ds, "s3://no-such-bucket/x.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        assertThatThrownBy(() -> services.workflow.plan(noBucket.name())).hasMessage("Bucket 'no-such-bucket' does not exist");
    }

    @Test
    void anUnreadableFileFailsTheChunkWithAReason() {
        String ds = dataset();
        aws.put(ds + "/broken.jsonl.gz", "this is not gzip".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/broken.jsonl.gz",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0))).isInstanceOf(ImportFailedException.class)
                .hasMessage("Could not read s3://data/" + ds + "/broken.jsonl.gz (gzip): Not in GZIP format");
    }

    @Test
    void oneImportPerDatasetAtATimeInOrder() {
        String ds = dataset();
        aws.put(ds + "/a.csv", csv(0, 3, ""));
        ImportJob first = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/a.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        ImportJob second = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/a.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        assertThat(services.workflow.turn(second.name()).name()).isEqualTo("WAIT");
        assertThat(services.workflow.turn(first.name()).name()).isEqualTo("GO");
        assertThatThrownBy(() -> services.datasets.delete(ds)).isInstanceOf(IntakeException.class)
                .hasMessage("Dataset '" + ds + "' has 2 import job(s) pending or in progress; delete it when they have finished");
        services.workflow.fail(first.name(), "stopped by test");
        assertThat(services.workflow.turn(first.name()).name()).isEqualTo("DONE");
        assertThat(services.workflow.turn(second.name()).name()).isEqualTo("GO");
        assertThat(aws.started).contains(first.name(), second.name());
    }

    @Test
    void incrementalNeedsAFullImportFirst() {
        String ds = dataset();
        assertThatThrownBy(() -> services.jobs.create(new NewImport(unique("job"), ds, "s3://data/x.csv",
                ImportMode.INCREMENTAL, null, Map.of(), false, null)))
                .hasMessageContaining("has no completed FULL import yet");
    }

    @Test
    void gzipAndJsonLinesImportAlike() throws Exception {
        String ds = dataset();
        String jsonl = "{\"ID\":\"j1\",\"NAME\":\"one\",\"PRICE\":1.5}\n{\"ID\":\"j2\",\"NAME\":\"two\"}\n";
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        aws.put(ds + "/mixed/a.jsonl.gz", bytes.toByteArray());
        aws.put(ds + "/mixed/b.csv", csv(0, 2, ""));
        aws.put(ds + "/mixed/readme.txt", "ignored");
        ImportJob job = run(ds, "s3://data/" + ds + "/mixed/", ImportMode.FULL, false, false);
        assertThat(job.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(job.statistics().added()).isEqualTo(4);
        assertThat(job.statistics().filesTotal()).isEqualTo(3);
        assertThat(job.statistics().filesDiscarded()).isEqualTo(1);
        assertThat(record(ds, "j2")).isEqualTo("{\"ID\":\"j2\",\"NAME\":\"two\",\"PRICE\":null}");
    }
}
