package dev.intake.local;

import dev.intake.core.ports.WorkflowStarter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.Services;
import dev.intake.core.ChunkTask;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
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
 * What the import engine does whatever the storage (planning, formats, failures), on the embedded
 * store and S3Proxy. What rests on storage is in the contract suite (ImportEngineContract), run on
 * every adapter.
 */
class ImportEngineTest {
    static final String SCHEMA = """
            {"type":"record","name":"Items","fields":[
              {"name":"ID","type":"string"},{"name":"NAME","type":"string"},{"name":"PRICE","type":["null","double"],"default":null}]}""";
    private static LocalFixture aws;
    private static Services services;
    private static int counter;

    @BeforeAll
    static void start() throws Exception {
        aws = new LocalFixture();
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

    private static ImportJob run(String dataset, String location, ImportMode mode) {
        ImportJob job = services.jobs.create(new NewImport(unique("job"), dataset, location, mode, null, Map.of(), false, null));
        assertThat(services.workflow.turn(job.name()).name()).isEqualTo("GO");
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        chunks.forEach(chunk -> services.workflow.ingest(job.name(), chunk));
        List<Integer> recount = services.workflow.reconcile(job.name(), chunks.size());
        chunks.stream().filter(c -> recount.contains(c.index())).forEach(c -> services.workflow.ingest(job.name(), c, 2));
        return services.workflow.finish(job.name(), chunks.size(), recount);
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
    void aFileIsCutIntoAsManyChunksAsItsSizeMakesWithNoCapOfFiveHundred() {
        String ds = dataset();
        aws.put(ds + "/big.csv", csv(0, 3000, " with a longer name")); // ~120 KB in 64-byte chunks: ~1,900
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/big.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        assertThat(chunks.size()).isGreaterThan(1_000);
        chunks.forEach(c -> services.workflow.ingest(job.name(), c));
        ImportJob done = services.workflow.finish(job.name(), chunks.size());
        assertThat(done.statistics().added()).isEqualTo(3000);
        assertThat(record(ds, "id-2999")).contains("2999 with a longer name");
    }

    /**
     * An unchanged row of a key that a later chunk changes sends its chunk through a second pass:
     * Reconcile lists those chunks in a manifest of their own, and Finish counts exactly that many
     * second-pass results (it refuses to finish while one is missing).
     */
    @Test
    void theSecondPassListsItsChunksInAManifestAndFinishCountsThem() throws Exception {
        String ds = dataset();
        aws.put(ds + "/base.csv", csv(0, 5, ""));
        run(ds, "s3://data/" + ds + "/base.csv", ImportMode.FULL);
        aws.put(ds + "/inc.csv", csv(0, 1, "") + csv(100, 110, "").substring("ID,NAME,PRICE\n".length())
                + "id-0,\"changed\",1.5\n");
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/inc.csv",
                ImportMode.INCREMENTAL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        dev.intake.core.ChunkManifest first = services.workflow.planManifest(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        assertThat(first.chunks()).isEqualTo(chunks.size()).isGreaterThan(2);
        assertThat(first.key()).isEqualTo("manifests/" + job.name() + "/pass-1.jsonl");
        chunks.forEach(c -> services.workflow.ingest(job.name(), c));

        dev.intake.core.ChunkManifest second = services.workflow.reconcileManifest(job.name(), chunks.size());

        assertThat(second.key()).isEqualTo("manifests/" + job.name() + "/pass-2.jsonl");
        assertThat(second.chunks()).isEqualTo(1);
        String lines = aws.s3.client().getObjectAsBytes(r -> r.bucket(LocalFixture.RESULTS_BUCKET).key(second.key()))
                .asUtf8String();
        assertThat(lines.lines()).hasSize(1);
        ChunkTask recounted = dev.intake.core.PlanCodec.chunk(dev.intake.api.Json.parse(lines.strip()));
        assertThat(recounted).isEqualTo(chunks.get(0)); // the chunk with the unwritten early row
        assertThatThrownBy(() -> services.workflow.finishAfterRecount(job.name(), chunks.size(), 1))
                .isInstanceOf(dev.intake.core.TransientImportException.class)
                .hasMessageContaining("expected 1 second-pass chunk results, found 0");

        services.workflow.ingest(job.name(), recounted, 2);
        ImportJob done = services.workflow.finishAfterRecount(job.name(), chunks.size(), 1);

        assertThat(done.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(done.statistics().updated()).isEqualTo(1);
        assertThat(done.statistics().skipped()).isEqualTo(1);
        assertThat(done.statistics().added()).isEqualTo(10);
        assertThat(record(ds, "id-0")).contains("changed");
    }

    @Test
    void aPassWithNoChunksToCountAgainWritesNoManifest() {
        String ds = dataset();
        aws.put(ds + "/base.csv", csv(0, 5, ""));
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/base.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        chunks.forEach(c -> services.workflow.ingest(job.name(), c));

        dev.intake.core.ChunkManifest second = services.workflow.reconcileManifest(job.name(), chunks.size());

        assertThat(second.chunks()).isZero();
        assertThat(second.key()).isNull();
        assertThat(services.workflow.finishAfterRecount(job.name(), chunks.size(), 0).status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void planFailuresNameTheProblem() {
        String ds = dataset();
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/nothing-here/", ImportMode.FULL,
                null, Map.of(), false, null));
        services.workflow.start(job.name());
        assertThatThrownBy(() -> services.workflow.plan(job.name())).isInstanceOf(ImportFailedException.class)
                .hasMessage("No file found at s3://data/nothing-here/ (the folder is empty or does not exist)");

        ImportJob noBucket = services.jobs.create(new NewImport(unique("job"), ds, "s3://no-such-bucket/x.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(noBucket.name());
        assertThatThrownBy(() -> services.workflow.plan(noBucket.name())).hasMessage("Bucket 'no-such-bucket' does not exist");
    }

    @Test
    void aHeaderThatDoesNotFitTheSchemaFailsEveryChunkOfItsFileBeforeItWritesARow() {
        String ds = dataset();
        aws.put(ds + "/base.csv", csv(0, 3, ""));
        run(ds, "s3://data/" + ds + "/base.csv", ImportMode.FULL);
        StringBuilder bad = new StringBuilder("ID,TITLE\n");
        for (int i = 0; i < 40; i++) {
            bad.append("new-").append(i).append(",title ").append(i).append('\n');
        }
        aws.put(ds + "/header.csv", bad.toString());
        ImportJob header = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/header.csv",
                ImportMode.INCREMENTAL, null, Map.of(), false, null));
        services.workflow.start(header.name());
        List<ChunkTask> chunks = services.workflow.plan(header.name()); // Plan reads no file: the chunks check
        assertThat(chunks).hasSizeGreaterThan(3);
        for (ChunkTask chunk : chunks) {
            assertThatThrownBy(() -> services.workflow.ingest(header.name(), chunk)).isInstanceOf(ImportFailedException.class)
                    .hasMessageStartingWith("The header of s3://data/" + ds + "/header.csv does not match the dataset schema: "
                            + "column 'TITLE'");
        }
        assertThat(record(ds, "new-0")).isNull();
        assertThat(record(ds, "new-39")).isNull();

        aws.put(ds + "/quote.csv", "ID,\"NAME\n" + "a,b\n".repeat(40));
        ImportJob quote = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/quote.csv",
                ImportMode.INCREMENTAL, null, Map.of(), false, null));
        services.workflow.start(quote.name());
        for (ChunkTask chunk : services.workflow.plan(quote.name())) {
            assertThatThrownBy(() -> services.workflow.ingest(quote.name(), chunk)).isInstanceOf(ImportFailedException.class)
                    .hasMessage("Could not read s3://data/" + ds + "/quote.csv as CSV: line 1: CSV header: unterminated "
                            + "quote: the quoted field opened at line 1 is not closed before the end of the file");
        }
    }

    @Test
    void aLargeFileReadInManyChunksCountsAndReportsExactlyAsInOne() {
        String ds = dataset();
        StringBuilder hostile = new StringBuilder("ID,NAME,PRICE\r\n");
        Random random = new Random(3);
        for (int i = 0; i < 400; i++) {
            hostile.append("id-").append(random.nextInt(300)).append(',').append(switch (random.nextInt(8)) {
                case 0 -> "\"two\nlines, \"\"quoted\"\"\",1.5";
                case 1 -> "\"unterminated,1";
                case 2 -> "\"x\"y,2";
                case 3 -> "plain,not-a-number";
                case 4 -> "\"é😀\r\n\",3";
                case 5 -> "extra,1,2";
                default -> "name " + i + "," + i;
            }).append(random.nextBoolean() ? "\n" : random.nextInt(5) == 0 ? "\r" : "\r\n");
            if (random.nextInt(20) == 0) {
                hostile.append("\n \r\n");
            }
        }
        aws.put(ds + "/hostile.csv", hostile.toString());
        ImportJob one = runWith(new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, LocalFixture.ACCESS), ds,
                "s3://data/" + ds + "/hostile.csv");
        ImportJob many = runWith(new EngineSettings(LocalFixture.RESULTS_BUCKET, 97, LocalFixture.ACCESS), dataset(),
                "s3://data/" + ds + "/hostile.csv");

        assertThat(many.statistics()).isEqualTo(one.statistics());
        assertThat(one.statistics().failed()).isGreaterThan(50);
        String report = aws.read("results", "error-reports/" + one.name() + ".csv");
        assertThat(aws.read("results", "error-reports/" + many.name() + ".csv")).isEqualTo(report);
        assertThat(report).contains("opened at line").contains("expected 3 fields but found 4");
    }

    @Test
    void aJobCreatedUnderAWiderSettingIsRefusedWhenItIsPlannedAndReadsNothing() {
        String ds = dataset();
        aws.put(ds + "/a.csv", "ID,NAME,PRICE\na,b,1\n");
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/a.csv",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        // The deployment's setting narrowed to another folder before the job's turn came.
        Services narrowed = LocalRuntime.services(aws.storage, aws.s3.client(), WorkflowStarter.manual(name -> { }),
                new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, ImportAccess.parse("s3://data/elsewhere/", "")));
        assertThatThrownBy(() -> narrowed.workflow.plan(job.name())).isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("Imports of this deployment may not read s3://data/" + ds + "/a.csv");
        assertThat(narrowed.jobs.describe(job.name()).statistics().filesTotal()).isZero();
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
    void rowsWithBytesThatAreNotUtf8FailInsteadOfMergingIntoOneKey() {
        String ds = dataset();
        var bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes((csv(0, 30, "") + "k").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes.write(0xFF);
        bytes.writeBytes(",one,1\nk".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes.write(0xFE);
        bytes.writeBytes(",two,2\nk,three,3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        aws.put(ds + "/latin1.csv", bytes.toByteArray());
        ImportJob job = run(ds, "s3://data/" + ds + "/latin1.csv", ImportMode.FULL);
        assertThat(job.statistics()).extracting(ImportStatistics::added, ImportStatistics::skipped, ImportStatistics::failed)
                .containsExactly(31L, 0L, 2L);
        assertThat(record(ds, "k\uFFFD")).isNull();
        assertThat(record(ds, "k")).contains("three");
        assertThat(aws.read("results", "error-reports/" + job.name() + ".csv"))
                .contains(",32,\"not valid UTF-8 at line 32\"").contains(",33,\"not valid UTF-8 at line 33\"");
    }

    /** Runs an import to its end with other engine settings, failed rows allowed. */
    private static ImportJob runWith(EngineSettings settings, String dataset, String location) {
        Services with = LocalRuntime.services(aws.storage, aws.s3.client(), WorkflowStarter.manual(name -> { }), settings);
        ImportJob job = with.jobs.create(new NewImport(unique("job"), dataset, location, ImportMode.FULL, null, Map.of(), false,
                100.0));
        with.workflow.start(job.name());
        List<ChunkTask> chunks = with.workflow.plan(job.name());
        chunks.forEach(c -> with.workflow.ingest(job.name(), c));
        return with.workflow.finish(job.name(), chunks.size(), with.workflow.reconcile(job.name(), chunks.size()));
    }

    private static String badRows(int count) {
        StringBuilder csv = new StringBuilder("ID,NAME,PRICE\n");
        for (int i = 0; i < count; i++) {
            csv.append("id-").append(i).append(",n,").append(i % 3 == 0 ? "1.5" : "bad-" + i).append('\n');
        }
        return csv.toString();
    }

    @Test
    void theErrorReportListsTheJobsFirstFailedRowsInFileAndLineOrderAndCountsTheRest() throws Exception {
        String ds = dataset();
        aws.put(ds + "/bad/1.csv", badRows(1200)); // 800 failed rows
        aws.put(ds + "/bad/2.csv", badRows(900)); // 600 more
        ImportJob job = runWith(new EngineSettings(LocalFixture.RESULTS_BUCKET, 4096, LocalFixture.ACCESS), ds, "s3://data/" + ds + "/bad/");
        assertThat(job.statistics().failed()).isEqualTo(1400);
        String report = aws.read("results", "error-reports/" + job.name() + ".csv");
        List<String> lines = report.lines().toList();
        assertThat(lines.get(0)).isEqualTo("file,line,reason");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("# 400 more failed rows were counted but not listed: this report lists the first 1,000");
        List<String> rows = lines.subList(1, lines.size() - 1);
        assertThat(rows).hasSize(1000);
        List<String> expected = new ArrayList<>();
        for (String file : List.of("1.csv", "2.csv")) {
            for (int i = 0; i < (file.equals("1.csv") ? 1200 : 900) && expected.size() < 1000; i++) {
                if (i % 3 != 0) {
                    expected.add("\"s3://data/" + ds + "/bad/" + file + "\"," + (i + 2) + ",\"field 'PRICE' has value 'bad-" + i
                            + "', which is not a double\"");
                }
            }
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    @Test
    void howManyRowsTheErrorReportListsIsASetting() {
        String ds = dataset();
        aws.put(ds + "/bad.csv", badRows(30)); // 20 failed rows
        ImportJob job = runWith(new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, 5, LocalFixture.ACCESS), ds, "s3://data/" + ds + "/bad.csv");
        List<String> lines = aws.read("results", "error-reports/" + job.name() + ".csv").lines().toList();
        assertThat(lines).hasSize(7).endsWith("# 15 more failed rows were counted but not listed: this report lists the first 5");
        assertThat(lines.get(1)).endsWith(",3,\"field 'PRICE' has value 'bad-1', which is not a double\"");

        ImportJob all = runWith(new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, 20, LocalFixture.ACCESS), ds, "s3://data/" + ds + "/bad.csv");
        assertThat(aws.read("results", "error-reports/" + all.name() + ".csv").lines()).hasSize(21)
                .noneMatch(line -> line.startsWith("#"));
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
        ImportJob job = run(ds, "s3://data/" + ds + "/mixed/", ImportMode.FULL);
        assertThat(job.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(job.statistics().added()).isEqualTo(4);
        assertThat(job.statistics().filesTotal()).isEqualTo(3);
        assertThat(job.statistics().filesDiscarded()).isEqualTo(1);
        assertThat(record(ds, "j2")).isEqualTo("{\"ID\":\"j2\",\"NAME\":\"two\",\"PRICE\":null}");
    }
}
