package dev.intake.local.contract;

import dev.intake.core.ports.WorkflowStarter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.adapters.s3.S3ObjectStore;
import dev.intake.app.Deployment;
import dev.intake.app.Services;
import dev.intake.core.ChunkTask;
import dev.intake.core.EngineSettings;
import dev.intake.core.Dataset;
import dev.intake.core.ImportAccess;
import dev.intake.core.ImportFailedException;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.ImportWorkflow;
import dev.intake.core.IntakeException;
import dev.intake.core.JobNotRunningException;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.RecordCounts;
import dev.intake.core.TransientImportException;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.StoredRecord;
import dev.intake.local.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The import engine's guarantees that rest on storage, run on every adapter: exact counts under
 * retries, partial writes, concurrent attempts and duplicates across chunks; last row wins; FULL
 * imports switch generations atomically and clean up; a job that ended writes no more; one import
 * per dataset at a time. The workflow steps are driven directly so orders and retries can be chosen.
 */
abstract class ImportEngineContract extends StorageContract {
    static final String SCHEMA = """
            {"type":"record","name":"Items","fields":[
              {"name":"ID","type":"string"},{"name":"NAME","type":"string"},{"name":"PRICE","type":["null","double"],"default":null}]}""";
    static final String DATA = "data";
    static final String RESULTS = "results";
    /** Tiny chunks: a few rows each, so duplicates cross chunks. */
    static final long CHUNK_BYTES = 64;

    EmbeddedS3 s3;
    final List<String> started = new CopyOnWriteArrayList<>();
    Services services;

    @BeforeAll
    void startS3() throws Exception {
        s3 = EmbeddedS3.inMemory(0, Duration.ZERO); // no request is in flight when a test closes it
        s3.createBucket(DATA);
        s3.createBucket(RESULTS);
        services = services(storage);
    }

    @AfterAll
    void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    Services services(Storage with) {
        return services(with, ImportMetrics.NONE);
    }

    Services services(Storage with, ImportMetrics metrics) {
        return new Services(with, ObjectStores.single(new S3ObjectStore(s3.client())), WorkflowStarter.manual(started::add),
                metrics, new EngineSettings(RESULTS, CHUNK_BYTES, ImportAccess.parse("s3://" + DATA + "/", "")),
                Deployment.LOCAL, Clock.systemUTC());
    }

    /** The same storage with its record store wrapped (to count, fail or interleave writes). */
    Services servicesWithRecords(UnaryOperator<RecordStore> wrap) {
        return services(new Storage(storage.datasets(), storage.jobs(), wrap.apply(storage.records()), storage.signingKeys()));
    }

    String newDataset() {
        String name = unique("ds");
        services.datasets.create(name, SCHEMA, List.of("ID"));
        return name;
    }

    void put(String key, String content) {
        s3.client().putObject(r -> r.bucket(DATA).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    static String csv(int from, int to, String suffix) {
        StringBuilder sb = new StringBuilder("ID,NAME,PRICE\n");
        for (int i = from; i < to; i++) {
            sb.append("id-").append(i).append(",\"name, ").append(i).append(suffix).append("\",").append(i).append(".5\n");
        }
        return sb.toString();
    }

    ImportJob create(Services with, String dataset, String location, ImportMode mode, Double maxFailed) {
        return with.jobs.create(new NewImport(unique("job"), dataset, location, mode, null, Map.of(), false, maxFailed));
    }

    /** Runs a job's steps as the state machine does; chunk order and repeated attempts as asked. */
    ImportJob run(Services with, String dataset, String location, ImportMode mode, boolean shuffle, boolean retryEach) {
        ImportJob job = create(with, dataset, location, mode, null);
        return drive(with, job.name(), shuffle, retryEach);
    }

    ImportJob run(String dataset, String location, ImportMode mode, boolean shuffle, boolean retryEach) {
        return run(services, dataset, location, mode, shuffle, retryEach);
    }

    static ImportJob drive(Services with, String job, boolean shuffle, boolean retryEach) {
        ImportJob finished = driveKeepingRetired(with, job, shuffle, retryEach);
        deleteRetired(with, finished.datasetName()); // the deletion workflow that the execution's end starts
        return finished;
    }

    /** The import's own steps only: what it retired is still to be deleted. */
    static ImportJob driveKeepingRetired(Services with, String job, boolean shuffle, boolean retryEach) {
        ImportWorkflow workflow = with.workflow;
        assertThat(workflow.turn(job)).isEqualTo(ImportWorkflow.Turn.GO);
        workflow.start(job);
        List<ChunkTask> chunks = new ArrayList<>(workflow.plan(job));
        Random random = new Random(job.hashCode());
        if (shuffle) {
            Collections.shuffle(chunks, random);
        }
        for (ChunkTask chunk : chunks) {
            workflow.ingest(job, chunk, 1);
            if (retryEach) {
                workflow.ingest(job, chunk, 1);
            }
        }
        List<Integer> recount = workflow.reconcile(job, chunks.size());
        assertThat(workflow.reconcile(job, chunks.size())).as("reconcile is deterministic").isEqualTo(recount);
        List<ChunkTask> second = new ArrayList<>(chunks.stream().filter(c -> recount.contains(c.index())).toList());
        if (shuffle) {
            Collections.shuffle(second, random);
        }
        for (ChunkTask chunk : second) {
            workflow.ingest(job, chunk, 2);
            if (retryEach) {
                workflow.ingest(job, chunk, 2);
            }
        }
        return workflow.finish(job, chunks.size(), recount);
    }

    /** Runs the deletion workflow's steps for a dataset until nothing is left; returns how many it took. */
    static int deleteRetired(Services with, String dataset) {
        int steps = 1;
        while (!with.datasets.deleteSome(dataset)) {
            steps++;
        }
        return steps;
    }

    String record(String dataset, String id) {
        return services.datasets.record(dataset, Map.of("ID", id)).orElse(null);
    }

    static RecordCounts counts(ImportJob job) {
        ImportStatistics s = job.statistics();
        return new RecordCounts(s.added(), s.updated(), s.unchanged(), s.skipped(), s.failed());
    }

    @Test
    void fullThenIncrementalCountsAddedUnchangedUpdated() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 20, ""));
        ImportJob full = run(ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, false, false);
        assertThat(full.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(full.statistics()).isEqualTo(new ImportStatistics(20, 0, 0, 0, 0, 1, 1, 0, csv(0, 20, "").length()));

        ImportJob same = run(ds, "s3://data/" + ds + "/a.csv", ImportMode.INCREMENTAL, false, false);
        assertThat(counts(same)).isEqualTo(new RecordCounts(0, 0, 20, 0, 0));

        put(ds + "/b.csv", csv(15, 25, " v2"));
        ImportJob changed = run(ds, "s3://data/" + ds + "/b.csv", ImportMode.INCREMENTAL, true, true);
        assertThat(counts(changed)).isEqualTo(new RecordCounts(5, 5, 0, 0, 0));
        assertThat(record(ds, "id-16")).contains("name, 16 v2");
        assertThat(record(ds, "id-3")).contains("name, 3\"");
    }

    @Test
    void anUnchangedRowOfAnIncrementalImportIsNotWritten() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 30, ""));
        run(ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, false, false);
        AtomicInteger writes = new AtomicInteger();
        Services counting = servicesWithRecords(real -> new ForwardingRecords(real) {
            @Override
            public Set<String> write(String d, String g, String j, List<RecordWrite> w) {
                writes.addAndGet(w.size());
                return super.write(d, g, j, w);
            }
        });
        ImportJob same = run(counting, ds, "s3://data/" + ds + "/a.csv", ImportMode.INCREMENTAL, true, true);
        assertThat(counts(same)).isEqualTo(new RecordCounts(0, 0, 30, 0, 0));
        assertThat(writes).as("records written").hasValue(0);

        put(ds + "/b.csv", csv(0, 10, " v2") + csv(10, 30, "").substring("ID,NAME,PRICE\n".length()));
        ImportJob some = run(counting, ds, "s3://data/" + ds + "/b.csv", ImportMode.INCREMENTAL, false, false);
        assertThat(counts(some)).isEqualTo(new RecordCounts(0, 10, 20, 0, 0));
        assertThat(writes).as("only the changed rows are written").hasValue(10);
    }

    @Test
    void eachChunkRunReportsTheStorageRequestsThrottledMeanwhileAlsoWhenItFailsAndIsRunAgain() {
        String ds = newDataset();
        put(ds + "/throttled.csv", csv(0, 30, ""));
        AtomicLong throttled = new AtomicLong();
        AtomicInteger writeCalls = new AtomicInteger();
        List<Long> reported = new CopyOnWriteArrayList<>();
        ImportMetrics recording = new ImportMetrics() {
            @Override
            public void jobStarted(ImportJob job) {
            }

            @Override
            public void chunkIngested(ImportJob job, RecordCounts counts) {
            }

            @Override
            public void jobEnded(ImportJob job) {
            }

            @Override
            public void storageThrottled(ImportJob job, long requests) {
                reported.add(requests);
            }
        };
        RecordStore throttling = new ForwardingRecords(storage.records()) {
            @Override
            public Set<String> write(String d, String g, String j, List<RecordWrite> w) {
                throttled.addAndGet(2); // each write call is throttled twice before it goes through
                if (writeCalls.incrementAndGet() == 1) {
                    throw new TransientImportException("DynamoDB is busy (ProvisionedThroughputExceededException); will retry", null);
                }
                return super.write(d, g, j, w);
            }

            @Override
            public long throttledRequests() {
                return throttled.get();
            }
        };
        Services with = services(new Storage(storage.datasets(), storage.jobs(), throttling, storage.signingKeys()), recording);
        ImportJob job = create(with, ds, "s3://data/" + ds + "/throttled.csv", ImportMode.FULL, null);
        with.workflow.start(job.name());
        List<ChunkTask> chunks = with.workflow.plan(job.name());
        ChunkTask first = chunks.get(0);
        assertThatThrownBy(() -> with.workflow.ingest(job.name(), first)).isInstanceOf(TransientImportException.class);
        for (ChunkTask chunk : chunks) {
            with.workflow.ingest(job.name(), chunk);
        }

        assertThat(reported).as("one report per chunk run, the failed one first").hasSize(chunks.size() + 1);
        assertThat(reported.get(0)).as("the failed run's throttling").isEqualTo(2);
        assertThat(reported.stream().mapToLong(Long::longValue).sum()).isEqualTo(throttled.get());
        assertThat(throttled.get()).isEqualTo(2L * writeCalls.get());
    }

    @Test
    void fullWithFewerRowsRemovesTheRest() {
        String ds = newDataset();
        put(ds + "/all.csv", csv(0, 10, ""));
        run(ds, "s3://data/" + ds + "/all.csv", ImportMode.FULL, false, false);
        String replaced = services.datasets.describe(ds).generation();
        put(ds + "/some.csv", csv(0, 4, ""));
        ImportJob fewer = run(ds, "s3://data/" + ds + "/some.csv", ImportMode.FULL, false, false);
        assertThat(counts(fewer)).isEqualTo(new RecordCounts(0, 0, 4, 0, 0));
        assertThat(record(ds, "id-2")).isNotNull();
        assertThat(record(ds, "id-7")).isNull();
        assertThat(storage.records().get(ds, replaced, "id-2")).as("the replaced generation is deleted").isEmpty();
        assertThat(services.datasets.describe(ds).retiredGenerations()).isEmpty();
    }

    @Test
    void duplicatesAcrossChunksCountOnceWhateverTheOrderAndRetries() {
        String ds = newDataset();
        // Every key appears three times, in different chunks and files; the last row must win.
        put(ds + "/dups/1.csv", csv(0, 30, " first"));
        put(ds + "/dups/2.csv", csv(0, 30, " second"));
        put(ds + "/dups/3.csv", csv(10, 30, " third"));
        for (boolean shuffle : List.of(false, true)) {
            for (boolean retry : List.of(false, true)) {
                String target = newDataset();
                ImportJob job = run(target, "s3://data/" + ds + "/dups/", ImportMode.FULL, shuffle, retry);
                assertThat(counts(job)).as("shuffle=%s retry=%s", shuffle, retry).isEqualTo(new RecordCounts(30, 0, 0, 50, 0));
                assertThat(record(target, "id-5")).contains("5 second");
                assertThat(record(target, "id-25")).contains("25 third");
            }
        }
    }

    @Test
    void aKeyRepeatedWithinAChunkIsWrittenOnceAndCountedOnce() {
        String ds = newDataset();
        // One small file, one chunk: the repeats are merged in memory before anything is written.
        put(ds + "/same.csv", "ID,NAME,PRICE\nk,a,1\nk,b,1\nj,a,1\nk,c,1\n");
        ImportJob full = run(ds, "s3://data/" + ds + "/same.csv", ImportMode.FULL, false, true);
        assertThat(counts(full)).isEqualTo(new RecordCounts(2, 0, 0, 2, 0));
        assertThat(record(ds, "k")).isEqualTo("{\"ID\":\"k\",\"NAME\":\"c\",\"PRICE\":1.0}");
        ImportJob again = run(ds, "s3://data/" + ds + "/same.csv", ImportMode.INCREMENTAL, false, true);
        assertThat(counts(again)).isEqualTo(new RecordCounts(0, 0, 2, 2, 0));
    }

    /**
     * An INCREMENTAL import does not write an unchanged row, which so leaves no trace: each way a
     * key can repeat across chunks, with an unchanged occurrence before or after a changed one.
     */
    @Test
    void unchangedRowsRepeatedAcrossChunksCountOnceAndTheLastRowWins() {
        String base = "ID,NAME,PRICE\nuu,same,1\nuw,same,1\nwu,same,1\nww,same,1\n";
        String first = "ID,NAME,PRICE\nuu,same,1\nuw,same,1\nwu,changed,1\nww,changed,1\nnew,one,1\n";
        String second = "ID,NAME,PRICE\nnew,one,1\nww,changed again,1\nwu,same,1\nuw,changed,1\nuu,same,1\n";
        for (boolean shuffle : List.of(false, true)) {
            for (boolean retry : List.of(false, true)) {
                String ds = newDataset();
                put(ds + "/base.csv", base);
                put(ds + "/inc/1.csv", first);
                put(ds + "/inc/2.csv", second);
                run(ds, "s3://data/" + ds + "/base.csv", ImportMode.FULL, false, false);
                ImportJob job = run(ds, "s3://data/" + ds + "/inc/", ImportMode.INCREMENTAL, shuffle, retry);
                String as = "shuffle=" + shuffle + " retry=" + retry;
                // uu: unchanged; uw: updated; wu: unchanged (back as it was); ww: updated; new: added; 5 later rows skipped.
                assertThat(counts(job)).as(as).isEqualTo(new RecordCounts(1, 2, 2, 5, 0));
                assertThat(record(ds, "uu")).as(as).isEqualTo("{\"ID\":\"uu\",\"NAME\":\"same\",\"PRICE\":1.0}");
                assertThat(record(ds, "uw")).as(as).isEqualTo("{\"ID\":\"uw\",\"NAME\":\"changed\",\"PRICE\":1.0}");
                assertThat(record(ds, "wu")).as(as).isEqualTo("{\"ID\":\"wu\",\"NAME\":\"same\",\"PRICE\":1.0}");
                assertThat(record(ds, "ww")).as(as).isEqualTo("{\"ID\":\"ww\",\"NAME\":\"changed again\",\"PRICE\":1.0}");
                assertThat(record(ds, "new")).as(as).isEqualTo("{\"ID\":\"new\",\"NAME\":\"one\",\"PRICE\":1.0}");
            }
        }
    }

    @Test
    void aBatchCutShortByACrashIsCountedOnceWhenItsChunkRunsAgain() {
        for (ImportMode mode : List.of(ImportMode.FULL, ImportMode.INCREMENTAL)) {
            String ds = newDataset();
            put(ds + "/base.csv", csv(0, 40, ""));
            run(ds, "s3://data/" + ds + "/base.csv", ImportMode.FULL, false, false);
            // Changed rows, new rows and keys repeated across files and chunks.
            put(ds + "/next/1.csv", csv(20, 60, " v2"));
            put(ds + "/next/2.csv", csv(30, 50, " v3"));
            String location = "s3://data/" + ds + "/next/";
            RecordCounts expected = counts(run(newDatasetLike(ds), location, mode, false, false));

            // Every third write call applies only its first half of the batch, then the process dies.
            AtomicInteger calls = new AtomicInteger();
            Services crashing = servicesWithRecords(real -> new ForwardingRecords(real) {
                @Override
                public Set<String> write(String d, String g, String j, List<RecordWrite> w) {
                    if (calls.incrementAndGet() % 3 == 0 && w.size() > 1) {
                        super.write(d, g, j, w.subList(0, w.size() / 2));
                        throw new TransientImportException("the process died half-way through a batch", null);
                    }
                    return super.write(d, g, j, w);
                }
            });
            ImportJob job = create(crashing, ds, location, mode, null);
            crashing.workflow.start(job.name());
            List<ChunkTask> chunks = crashing.workflow.plan(job.name());
            for (int pass = 1; pass <= 2; pass++) {
                List<Integer> recount = pass == 1 ? null : crashing.workflow.reconcile(job.name(), chunks.size());
                for (ChunkTask chunk : chunks) {
                    if (recount != null && !recount.contains(chunk.index())) {
                        continue;
                    }
                    for (int attempt = 0; ; attempt++) {
                        try {
                            crashing.workflow.ingest(job.name(), chunk, pass);
                            break;
                        } catch (TransientImportException e) {
                            assertThat(attempt).as("a chunk gets through within a few attempts").isLessThan(20);
                        }
                    }
                }
                if (pass == 2) {
                    ImportJob done = crashing.workflow.finish(job.name(), chunks.size(), recount);
                    assertThat(counts(done)).as(mode.name()).isEqualTo(expected);
                }
            }
            assertThat(calls.get()).as("the crash happened").isGreaterThan(3);
            assertThat(record(ds, "id-45")).contains("45 v3");
            assertThat(record(ds, "id-55")).contains("55 v2");
        }
    }

    /**
     * A write that applies only part of a batch: the other rows were written meanwhile by another
     * attempt of the same chunk (the same rows, so the store reports them changed). Read again,
     * they are this chunk's own rows and count as what they are (added, updated), not as skipped.
     */
    @Test
    void rowsAnotherAttemptWroteDuringAPartialCommitCountOnceAsWhatTheyAre() {
        for (ImportMode mode : List.of(ImportMode.FULL, ImportMode.INCREMENTAL)) {
            String ds = newDataset();
            put(ds + "/base.csv", csv(0, 40, ""));
            run(ds, "s3://data/" + ds + "/base.csv", ImportMode.FULL, false, false);
            put(ds + "/next.csv", csv(20, 60, " v2"));
            String location = "s3://data/" + ds + "/next.csv";
            AtomicInteger raced = new AtomicInteger();
            Services racing = servicesWithRecords(real -> new ForwardingRecords(real) {
                @Override
                public Set<String> write(String d, String g, String j, List<RecordWrite> w) {
                    if (w.size() > 1 && w.stream().allMatch(x -> x.expected() == null || !x.expected().job().equals(j))) {
                        raced.incrementAndGet();
                        super.write(d, g, j, w.subList(w.size() / 2, w.size())); // the other attempt's commit
                    }
                    return super.write(d, g, j, w);
                }
            });
            ImportJob job = run(racing, ds, location, mode, false, false);
            assertThat(raced.get()).as("the race happened").isGreaterThan(3);
            assertThat(counts(job)).as(mode.name()).isEqualTo(new RecordCounts(20, 20, 0, 0, 0));
            assertThat(record(ds, "id-59")).contains("59 v2");
            assertThat(record(ds, "id-21")).contains("21 v2");
        }
    }

    /** A dataset with the same records as {@code ds}, to run the same import on without crashes. */
    private String newDatasetLike(String ds) {
        String copy = newDataset();
        run(copy, "s3://data/" + ds + "/base.csv", ImportMode.FULL, false, false);
        return copy;
    }

    @Test
    void twoAttemptsOfTheSameChunksAtOnceCountEachRowOnce() throws Exception {
        String ds = newDataset();
        put(ds + "/base.csv", csv(0, 30, ""));
        run(ds, "s3://data/" + ds + "/base.csv", ImportMode.FULL, false, false);
        put(ds + "/twice/1.csv", csv(0, 30, " v2"));
        put(ds + "/twice/2.csv", csv(10, 40, " v3"));
        for (int round = 0; round < 3; round++) {
            String target = newDatasetLike(ds);
            ImportJob job = create(services, target, "s3://data/" + ds + "/twice/", ImportMode.INCREMENTAL, null);
            services.workflow.start(job.name());
            List<ChunkTask> chunks = services.workflow.plan(job.name());
            List<CompletableFuture<?>> attempts = new ArrayList<>();
            var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                for (int copy = 0; copy < 2; copy++) {
                    List<ChunkTask> order = new ArrayList<>(chunks);
                    Collections.shuffle(order, new Random(round * 10L + copy));
                    attempts.add(CompletableFuture.runAsync(() -> order.forEach(c -> services.workflow.ingest(job.name(), c, 1)),
                            threads));
                }
                for (CompletableFuture<?> attempt : attempts) {
                    attempt.get();
                }
            } finally {
                threads.shutdown();
            }
            List<Integer> recount = services.workflow.reconcile(job.name(), chunks.size());
            chunks.stream().filter(c -> recount.contains(c.index())).forEach(c -> services.workflow.ingest(job.name(), c, 2));
            ImportJob done = services.workflow.finish(job.name(), chunks.size(), recount);
            assertThat(counts(done)).as("round %d", round).isEqualTo(new RecordCounts(10, 30, 0, 20, 0));
            assertThat(record(target, "id-15")).contains("15 v3");
            assertThat(record(target, "id-5")).contains("5 v2");
        }
    }

    @Test
    void failedRowsFailTheJobOnlyPastItsLimit() {
        String ds = newDataset();
        // 10 rows, one of them invalid: exactly 10 %.
        String rows = csv(0, 9, "") + "id-x,broken,notanumber\n";
        put(ds + "/ten.csv", rows);
        ImportJob atLimit = drive(services, create(services, ds, "s3://data/" + ds + "/ten.csv", ImportMode.FULL, 10.0).name(),
                false, false);
        assertThat(atLimit.status()).as("10 %% failed with a limit of 10 %%").isEqualTo(JobStatus.ACTIVE);
        assertThat(atLimit.statistics().failed()).isEqualTo(1);
        assertThat(atLimit.errorReportLocation()).isEqualTo("s3://results/error-reports/" + atLimit.name() + ".csv");
        assertThat(s3.client().getObjectAsBytes(r -> r.bucket(RESULTS).key("error-reports/" + atLimit.name() + ".csv"))
                .asUtf8String()).contains(",11,\"field 'PRICE' has value 'notanumber', which is not a double");

        ImportJob overLimit = drive(services, create(services, ds, "s3://data/" + ds + "/ten.csv", ImportMode.FULL, 9.9).name(),
                false, false);
        assertThat(overLimit.status()).isEqualTo(JobStatus.FAILED);
        assertThat(overLimit.failureReason()).startsWith("1 of 10 rows failed validation (10.0%), more than the job's limit "
                + "of 9.9%. First errors: s3://data/" + ds + "/ten.csv line 11: field 'PRICE' has value 'notanumber'");
    }

    @Test
    void aLimitOfZeroFailedRowsLetsACleanImportSucceed() {
        String ds = newDataset();
        put(ds + "/clean.csv", csv(0, 5, ""));
        ImportJob clean = drive(services, create(services, ds, "s3://data/" + ds + "/clean.csv", ImportMode.FULL, 0.0).name(),
                false, false);
        assertThat(clean.status()).as("0 %% failed with a limit of 0 %%").isEqualTo(JobStatus.ACTIVE);
        assertThat(clean.failureReason()).isNull();
        assertThat(clean.errorReportLocation()).isNull();
        assertThat(counts(clean)).isEqualTo(new RecordCounts(5, 0, 0, 0, 0));
    }

    @Test
    void anImportWhoseEveryRowFailedFailsEvenWithALimitOfAHundredPercent() {
        String ds = newDataset();
        put(ds + "/bad.csv", "ID,NAME,PRICE\na,x,one\nb,y,two\n");
        ImportJob job = drive(services, create(services, ds, "s3://data/" + ds + "/bad.csv", ImportMode.FULL, 100.0).name(),
                false, false);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.failureReason()).isEqualTo("2 of 2 rows failed validation (100.0%), more than the job's limit of 100%. "
                + "First errors: s3://data/" + ds + "/bad.csv line 2: field 'PRICE' has value 'one', which is not a double; "
                + "s3://data/" + ds + "/bad.csv line 3: field 'PRICE' has value 'two', which is not a double. "
                + "All errors: s3://results/error-reports/" + job.name() + ".csv");
        assertThat(services.datasets.describe(ds).fullImported()).isFalse();
    }

    @Test
    void anImportOfFilesWithoutDataRowsFailsSayingSo() {
        String ds = newDataset();
        put(ds + "/empty/a.csv", "ID,NAME,PRICE\n");
        put(ds + "/empty/b.csv", "ID,NAME,PRICE\n");
        ImportJob job = run(ds, "s3://data/" + ds + "/empty/", ImportMode.FULL, false, false);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.failureReason()).isEqualTo("No records found in s3://data/" + ds + "/empty/: the files hold no data rows");
        assertThat(job.errorReportLocation()).isNull();
    }

    @Test
    void aFailedFullImportLeavesTheDataAsItWasAndNoneOfItsOwn() {
        String ds = newDataset();
        put(ds + "/good.csv", csv(0, 30, ""));
        run(ds, "s3://data/" + ds + "/good.csv", ImportMode.FULL, false, false);
        String before = record(ds, "id-3");
        put(ds + "/worse.csv", "ID,NAME,PRICE\nid-3,changed,1\nid-4,x,y\nid-5,x,z\nid-99,new,2\n");
        ImportJob failed = run(ds, "s3://data/" + ds + "/worse.csv", ImportMode.FULL, false, false);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failureReason()).startsWith("2 of 4 rows failed validation (50.0%)");
        assertThat(record(ds, "id-3")).as("a failed FULL import leaves the data as it was").isEqualTo(before);
        assertThat(record(ds, "id-99")).isNull();
        assertThat(record(ds, "id-29")).isNotNull();
        assertThat(storage.records().get(ds, "job-" + failed.name(), "id-3")).as("its own generation is deleted").isEmpty();
        assertThat(storage.records().get(ds, "job-" + failed.name(), "id-99")).isEmpty();
        assertThat(services.datasets.describe(ds).retiredGenerations()).isEmpty();
    }

    /**
     * The state machine's catch-all (a chunk failed for good, the execution was stopped) ends a FULL
     * import that has already written some chunks: the records it wrote go, readers keep the data.
     */
    @Test
    void aFullImportFailedHalfWayLeavesNoneOfItsRecords() {
        String ds = newDataset();
        put(ds + "/good.csv", csv(0, 10, ""));
        run(ds, "s3://data/" + ds + "/good.csv", ImportMode.FULL, false, false);
        String before = services.datasets.describe(ds).generation();
        put(ds + "/next.csv", csv(0, 20, " v2"));
        ImportJob job = create(services, ds, "s3://data/" + ds + "/next.csv", ImportMode.FULL, null);
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        assertThat(chunks).hasSizeGreaterThan(2);
        chunks.subList(0, 2).forEach(chunk -> services.workflow.ingest(job.name(), chunk));
        String own = "job-" + job.name();
        assertThat(storage.records().get(ds, own, "id-0")).as("written before the failure").isPresent();

        ImportJob failed = services.workflow.fail(job.name(), "chunk 2 failed: the file was replaced");

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("chunk 2 failed: the file was replaced");
        assertThat(services.datasets.describe(ds).retiredGenerations()).as("its own generation is retired").containsExactly(own);
        deleteRetired(services, ds); // the deletion workflow that the execution's end starts
        assertThat(storage.records().get(ds, own, "id-0")).as("its own generation is deleted").isEmpty();
        assertThat(services.datasets.describe(ds).generation()).isEqualTo(before);
        assertThat(services.datasets.describe(ds).retiredGenerations()).isEmpty();
        assertThat(record(ds, "id-0")).isEqualTo("{\"ID\":\"id-0\",\"NAME\":\"name, 0\",\"PRICE\":0.5}");
        assertThat(record(ds, "id-15")).isNull();
    }

    @Test
    void deletingADatasetMarksItAndTheDeletionStepsDeleteEveryRecordItHadThenFreeItsName() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 20, ""));
        run(ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, false, false);
        String retired = services.datasets.describe(ds).generation();
        // A second FULL import retires the first generation, whose deletion has not run yet.
        put(ds + "/b.csv", csv(5, 25, " v2"));
        ImportJob second = create(services, ds, "s3://data/" + ds + "/b.csv", ImportMode.FULL, null);
        driveKeepingRetired(services, second.name(), false, false);
        String current = services.datasets.describe(ds).generation();
        assertThat(services.datasets.describe(ds).retiredGenerations()).containsExactly(retired);

        assertThat(services.datasets.delete(ds).status()).isEqualTo(Dataset.Status.DELETE_PENDING);
        assertThat(services.datasets.delete(ds).status()).as("deleting again changes nothing").isEqualTo(Dataset.Status.DELETE_PENDING);
        assertThat(storage.records().get(ds, current, "id-10")).as("nothing is deleted inline").isPresent();
        assertThatThrownBy(() -> create(services, ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, null))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IN_USE))
                .hasMessage("Dataset '" + ds + "' is being deleted");
        assertThatThrownBy(() -> record(ds, "id-10")).hasMessage("Dataset '" + ds + "' is being deleted");
        assertThatThrownBy(() -> services.datasets.create(ds, SCHEMA, List.of("ID"))).as("the name is taken until it is gone")
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS));

        deleteRetired(services, ds);

        assertThatThrownBy(() -> services.datasets.describe(ds)).isInstanceOfSatisfying(IntakeException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(storage.records().get(ds, current, "id-10")).isEmpty();
        assertThat(storage.records().get(ds, current, "id-24")).isEmpty();
        assertThat(storage.records().get(ds, retired, "id-1")).isEmpty();
        assertThat(storage.records().get(ds, retired, "id-19")).isEmpty();
        services.datasets.create(ds, SCHEMA, List.of("ID"));
        assertThat(record(ds, "id-10")).as("a dataset made again under the name starts empty").isNull();
    }

    @Test
    void aDeletionStepThatFailsHalfWayIsDoneByTheNextStep() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 5, ""));
        run(ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, false, false);
        String firstGeneration = services.datasets.describe(ds).generation();
        ImportJob second = create(services, ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, null);
        driveKeepingRetired(services, second.name(), false, false);
        Services crashing = servicesWithRecords(real -> new ForwardingRecords(real) {
            @Override
            public boolean deleteSome(String dataset, String generation, int max) {
                throw new IllegalStateException("crashed while deleting");
            }
        });

        assertThatThrownBy(() -> crashing.datasets.deleteSome(ds)).hasMessage("crashed while deleting");
        assertThat(services.jobs.describe(second.name()).status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(services.datasets.describe(ds).retiredGenerations()).containsExactly(firstGeneration);
        assertThat(storage.records().get(ds, firstGeneration, "id-1")).as("not deleted yet").isPresent();

        assertThat(services.datasets.deleteSome(ds)).as("the step, run again").isTrue();
        assertThat(services.datasets.describe(ds).retiredGenerations()).isEmpty();
        assertThat(storage.records().get(ds, firstGeneration, "id-1")).isEmpty();
        assertThat(record(ds, "id-1")).isNotNull();
        assertThat(services.datasets.deleteSome(ds)).as("nothing left: a repeated step does nothing").isTrue();
    }

    @Test
    void aJobThatHasEndedWritesNoMore() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 10, ""));
        ImportJob job = create(services, ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, null);
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        services.workflow.fail(job.name(), "stopped by the test");
        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0))).isInstanceOf(JobNotRunningException.class);
        assertThat(storage.records().get(ds, "job-" + job.name(), "id-0")).isEmpty();
    }

    @Test
    void aWriteThatRacedTheEndOfAFailedFullImportIsCleanedUp() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 10, ""));
        AtomicInteger writes = new AtomicInteger();
        String[] name = new String[1];
        // The job fails (another chunk failed, say) while this chunk's first batch is on its way.
        Services racing = servicesWithRecords(real -> new ForwardingRecords(real) {
            @Override
            public Set<String> write(String d, String g, String j, List<RecordWrite> w) {
                if (writes.getAndIncrement() == 0) {
                    services.workflow.fail(name[0], "another chunk failed");
                }
                return super.write(d, g, j, w);
            }
        });
        ImportJob job = create(racing, ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, null);
        name[0] = job.name();
        racing.workflow.start(job.name());
        List<ChunkTask> chunks = racing.workflow.plan(job.name());
        assertThatThrownBy(() -> racing.workflow.ingest(job.name(), chunks.get(0))).isInstanceOf(JobNotRunningException.class);
        assertThat(writes).hasValue(1);
        for (int i = 0; i < 10; i++) {
            assertThat(storage.records().get(ds, "job-" + job.name(), "id-" + i)).as("id-%d", i).isEmpty();
        }
        assertThat(services.jobs.describe(job.name()).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void oneImportPerDatasetAtATimeInOrder() {
        String ds = newDataset();
        put(ds + "/a.csv", csv(0, 3, ""));
        ImportJob first = create(services, ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, null);
        ImportJob second = create(services, ds, "s3://data/" + ds + "/a.csv", ImportMode.FULL, null);
        assertThat(services.workflow.turn(second.name())).isEqualTo(ImportWorkflow.Turn.WAIT);
        assertThat(services.workflow.turn(first.name())).isEqualTo(ImportWorkflow.Turn.GO);
        assertThatThrownBy(() -> services.datasets.delete(ds)).isInstanceOf(IntakeException.class)
                .hasMessage("Dataset '" + ds + "' has 2 import job(s) pending or in progress; delete it when they have finished");
        assertThat(started).as("only the job first in the queue is started").contains(first.name())
                .doesNotContain(second.name());
        services.workflow.fail(first.name(), "stopped by test");
        assertThat(services.workflow.turn(first.name())).isEqualTo(ImportWorkflow.Turn.DONE);
        assertThat(services.workflow.turn(second.name())).isEqualTo(ImportWorkflow.Turn.GO);
        // The end of the first job's execution starts the next job.
        services.workflow.executionEnded(first.name() + ".1", WorkflowStarter.ExecutionStatus.FAILED, "Intake.ImportFailed");
        assertThat(started).contains(first.name(), second.name());
    }

    @Test
    void aFileReplacedAfterPlanningFailsTheImportInsteadOfMixingVersions() {
        String ds = newDataset();
        put(ds + "/moving.csv", csv(0, 10, ""));
        ImportJob job = create(services, ds, "s3://data/" + ds + "/moving.csv", ImportMode.FULL, null);
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        put(ds + "/moving.csv", csv(0, 10, " changed"));
        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0)))
                .hasMessageStartingWith("s3://data/" + ds + "/moving.csv was replaced after the import planned it"
                        + " (planned version: ETag " + chunks.get(0).etag() + ")");
    }

    @Test
    void aResumedJobImportsExactlyWhatItPlannedWhateverChangedAtTheLocationSince() {
        String ds = newDataset();
        put(ds + "/in/a.csv", csv(0, 10, ""));
        put(ds + "/in/b.csv", csv(10, 20, ""));
        ImportJob job = create(services, ds, "s3://data/" + ds + "/in/", ImportMode.FULL, null);
        services.workflow.start(job.name());
        List<ChunkTask> planned = services.workflow.plan(job.name());
        services.workflow.ingest(job.name(), planned.get(0)); // done before the process died

        put(ds + "/in/0-new.csv", csv(20, 30, "")); // added while it was down, sorting first
        List<ChunkTask> resumed = services.workflow.plan(job.name()); // the resumed execution plans again

        assertThat(resumed).isEqualTo(planned);
        resumed.forEach(chunk -> services.workflow.ingest(job.name(), chunk));
        ImportJob done = services.workflow.finish(job.name(), resumed.size());
        assertThat(done.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(counts(done)).isEqualTo(new RecordCounts(20, 0, 0, 0, 0));
        assertThat(done.statistics().filesTotal()).isEqualTo(2);
        assertThat(record(ds, "id-25")).isNull();
        assertThat(record(ds, "id-15")).isNotNull();
    }

    @Test
    void aPlannedFileDeletedBeforeItIsReadFailsTheImportNamingIt() {
        String ds = newDataset();
        put(ds + "/gone.csv", csv(0, 10, ""));
        ImportJob job = create(services, ds, "s3://data/" + ds + "/gone.csv", ImportMode.FULL, null);
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        s3.client().deleteObject(r -> r.bucket(DATA).key(ds + "/gone.csv"));

        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0)))
                .isInstanceOf(ImportFailedException.class)
                .hasMessage("s3://data/" + ds + "/gone.csv was deleted after the import planned it (planned version: ETag "
                        + chunks.get(0).etag() + "); import the location again");
    }

    /** Passes every call through; tests override the ones they watch or break. */
    static class ForwardingRecords implements RecordStore {
        private final RecordStore real;

        ForwardingRecords(RecordStore real) {
            this.real = real;
        }

        @Override
        public Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys) {
            return real.read(dataset, generation, keys);
        }

        @Override
        public Set<String> write(String dataset, String generation, String job, List<RecordWrite> writes) {
            return real.write(dataset, generation, job, writes);
        }

        @Override
        public int maxBatch() {
            return real.maxBatch();
        }

        @Override
        public Optional<String> get(String dataset, String generation, String key) {
            return real.get(dataset, generation, key);
        }

        @Override
        public boolean deleteSome(String dataset, String generation, int max) {
            return real.deleteSome(dataset, generation, max);
        }

        @Override
        public dev.intake.core.ports.Page<dev.intake.core.ports.RecordEntry> list(String dataset, String generation,
                                                                              String cursor, int max) {
            return real.list(dataset, generation, cursor, max);
        }
    }
}
