package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.ChunkResult;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.RecordCounts;
import dev.intake.core.RowError;
import dev.intake.core.ports.JobStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The semantics of {@link dev.intake.core.ports.JobStore}, for every adapter. */
abstract class JobStoreContract extends StorageContract {

    @Test
    void aCreatedJobReadsBackExactly() {
        String ds = dataset();
        ImportJob job = new ImportJob(unique("job"), ds, "s3://bucket/key.csv", ImportMode.INCREMENTAL, JobStatus.PENDING,
                T0, T0, null, "arn:aws:iam::123456789012:role/reader", Map.of("team", "data", "cost-centre", "42"), true,
                2.5, ImportStatistics.EMPTY, null, null,
                new dev.intake.core.ImportTrigger(dev.intake.core.ImportTrigger.Type.SCHEDULE, "nightly-items"));
        storage.jobs().create(job);
        assertThat(storage.jobs().find(job.name())).contains(job);
        assertThat(storage.jobs().find(unique("missing"))).isEmpty();
        assertThat(storage.datasets().find(ds).orElseThrow().activeJobs()).isEqualTo(1);
    }

    @Test
    void jobNamesAreUniqueAndARefusedJobChangesNothing() {
        String ds = dataset();
        ImportJob first = job(ds, unique("job"), T0, ImportMode.FULL);
        storage.jobs().create(first);
        ImportJob again = job(dataset(), first.name(), T0.plusSeconds(5), ImportMode.INCREMENTAL);
        assertThatThrownBy(() -> storage.jobs().create(again))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("Import job '" + first.name() + "' already exists");
        assertThat(storage.jobs().find(first.name())).contains(first);
        assertThat(storage.datasets().find(again.datasetName()).orElseThrow().activeJobs()).isZero();
        assertThat(storage.jobs().queueHead(again.datasetName())).isEmpty();
    }

    @Test
    void aJobForADatasetThatDoesNotExistIsRefusedAndLeavesNothing() {
        String missing = unique("no-such-dataset");
        ImportJob orphan = job(missing, unique("orphan"), T0, ImportMode.FULL);
        assertThatThrownBy(() -> storage.jobs().create(orphan))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("Dataset '" + missing + "' does not exist or is being deleted");
        assertThat(storage.jobs().find(orphan.name())).isEmpty();
        assertThat(storage.jobs().queueHead(missing)).isEmpty();
        assertThat(storage.jobs().unfinished()).doesNotContain(orphan.name());
    }

    @Test
    void theQueueRunsJobsInCreationOrderThenByName() {
        String ds = dataset();
        String late = unique("a-late");
        String early = unique("z-early");
        String tieB = unique("m-tie") + "-b";
        String tieA = tieB.substring(0, tieB.length() - 1) + "a";
        storage.jobs().create(job(ds, late, T0.plusSeconds(30), ImportMode.FULL));
        storage.jobs().create(job(ds, tieB, T0.plusSeconds(20), ImportMode.FULL));
        storage.jobs().create(job(ds, early, T0.plusSeconds(10), ImportMode.FULL));
        storage.jobs().create(job(ds, tieA, T0.plusSeconds(20), ImportMode.FULL));
        List<String> order = List.of(early, tieA, tieB, late);
        for (String head : order) {
            assertThat(storage.jobs().queueHead(ds)).contains(head);
            ImportJob running = storage.jobs().find(head).orElseThrow();
            storage.jobs().finish(ended(running, JobStatus.ACTIVE, T0.plusSeconds(40), null, ImportStatistics.EMPTY), null, null);
        }
        assertThat(storage.jobs().queueHead(ds)).isEmpty();
        assertThat(storage.datasets().find(ds).orElseThrow().activeJobs()).isZero();
    }

    @Test
    void unfinishedListsPendingAndRunningJobsOfEveryDatasetOldestFirst() {
        String one = dataset();
        String two = dataset();
        String a2 = unique("a2");
        String a1 = unique("a1");
        String b1 = unique("b1");
        String done = unique("done");
        storage.jobs().create(job(one, a2, T0.plusSeconds(2), ImportMode.FULL));
        storage.jobs().create(job(one, a1, T0.plusSeconds(1), ImportMode.FULL));
        storage.jobs().create(job(two, b1, T0.plusSeconds(3), ImportMode.FULL));
        storage.jobs().create(job(two, done, T0, ImportMode.FULL));
        storage.jobs().transition(a1, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(4));
        storage.jobs().finish(ended(storage.jobs().find(done).orElseThrow(), JobStatus.FAILED, T0.plusSeconds(5), "x",
                ImportStatistics.EMPTY), null, null);
        List<String> unfinished = storage.jobs().unfinished();
        assertThat(unfinished).contains(a1, a2, b1).doesNotContain(done);
        assertThat(unfinished.indexOf(a1)).isLessThan(unfinished.indexOf(a2));
    }

    @Test
    void transitionsAreConditionalAndStampTheTime() {
        String ds = dataset();
        String name = unique("job");
        storage.jobs().create(job(ds, name, T0, ImportMode.FULL));
        assertThat(storage.jobs().transition(name, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(1))).isTrue();
        assertThat(storage.jobs().transition(name, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(2)))
                .as("no longer PENDING").isFalse();
        ImportJob running = storage.jobs().find(name).orElseThrow();
        assertThat(running.status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(running.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(storage.jobs().transition(unique("missing"), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0)).isFalse();
        assertThatThrownBy(() -> storage.jobs().transition(name, JobStatus.IN_PROGRESS, JobStatus.ACTIVE, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.jobs().transition(name, JobStatus.ACTIVE, JobStatus.PENDING, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePlanIsRecordedOnARunningJobOnly() {
        String ds = dataset();
        String name = unique("job");
        storage.jobs().create(job(ds, name, T0, ImportMode.FULL));
        ImportStatistics files = ImportStatistics.EMPTY.withFiles(3, 2, 1, 12_345);
        assertThat(storage.jobs().recordPlan(name, files, "plan-1")).as("still PENDING").isEmpty();
        assertThat(storage.jobs().find(name).orElseThrow().statistics()).isEqualTo(ImportStatistics.EMPTY);
        assertThat(storage.jobs().plan(name)).isEmpty();
        storage.jobs().transition(name, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0);
        assertThat(storage.jobs().recordPlan(name, files, "plan-1")).contains("plan-1");
        assertThat(storage.jobs().find(name).orElseThrow().statistics()).isEqualTo(files);
        assertThat(storage.jobs().plan(name)).contains("plan-1");
    }

    @Test
    void theFirstPlanRecordedIsTheJobsPlanForGood() {
        String ds = dataset();
        String name = unique("job");
        storage.jobs().create(job(ds, name, T0, ImportMode.FULL));
        storage.jobs().transition(name, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0);
        ImportStatistics first = ImportStatistics.EMPTY.withFiles(3, 2, 1, 12_345);
        storage.jobs().recordPlan(name, first, "plan-first");

        assertThat(storage.jobs().recordPlan(name, ImportStatistics.EMPTY.withFiles(9, 9, 0, 1), "plan-second"))
                .contains("plan-first");
        assertThat(storage.jobs().plan(name)).contains("plan-first");
        assertThat(storage.jobs().find(name).orElseThrow().statistics()).isEqualTo(first);
    }

    @Test
    void finishingEndsTheJobOnceAndSwitchesTheGenerationOfASuccessfulFullImport() {
        String ds = dataset();
        ImportJob job = job(ds, unique("job"), T0, ImportMode.FULL);
        storage.jobs().create(job);
        storage.jobs().transition(job.name(), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(1));
        ImportJob done = ended(job, JobStatus.ACTIVE, T0.plusSeconds(5), null, new ImportStatistics(3, 1, 2, 1, 1, 2, 1, 1, 99));
        assertThat(storage.jobs().finish(done, "job-gen", "g0")).isTrue();
        assertThat(storage.jobs().find(job.name())).contains(done);
        Dataset after = storage.datasets().find(ds).orElseThrow();
        assertThat(after.generation()).isEqualTo("job-gen");
        assertThat(after.fullImported()).isTrue();
        assertThat(after.retiredGenerations()).containsExactly("g0");
        assertThat(after.activeJobs()).isZero();
        assertThat(after.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(storage.jobs().queueHead(ds)).isEmpty();

        ImportJob retried = ended(job, JobStatus.FAILED, T0.plusSeconds(9), "late", ImportStatistics.EMPTY);
        assertThat(storage.jobs().finish(retried, "other-gen", "job-gen")).as("a retried end changes nothing").isFalse();
        assertThat(storage.jobs().find(job.name())).contains(done);
        assertThat(storage.datasets().find(ds).orElseThrow()).isEqualTo(after);
    }

    @Test
    void aFailedImportKeepsTheGenerationAndAPendingJobCanFail() {
        String ds = dataset();
        ImportJob job = job(ds, unique("job"), T0, ImportMode.FULL);
        storage.jobs().create(job);
        ImportJob failed = ended(job, JobStatus.FAILED, T0.plusSeconds(2), "No file found at s3://bucket/", ImportStatistics.EMPTY);
        assertThat(storage.jobs().finish(failed, null, "job-gen")).isTrue();
        assertThat(storage.jobs().find(job.name()).orElseThrow().failureReason()).isEqualTo("No file found at s3://bucket/");
        Dataset after = storage.datasets().find(ds).orElseThrow();
        assertThat(after.generation()).isEqualTo("g0");
        assertThat(after.fullImported()).isFalse();
        assertThat(after.retiredGenerations()).containsExactly("job-gen");
        assertThatThrownBy(() -> storage.jobs().finish(job, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoppingJobStaysFirstInItsQueueAndOnlyAStopEndsIt() {
        String ds = dataset();
        ImportJob job = job(ds, unique("job"), T0, ImportMode.INCREMENTAL);
        ImportJob next = job(ds, unique("next"), T0.plusSeconds(1), ImportMode.FULL);
        storage.jobs().create(job);
        storage.jobs().create(next);
        storage.jobs().transition(job.name(), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(1));
        assertThatThrownBy(() -> storage.jobs().transition(job.name(), JobStatus.PENDING, JobStatus.STOPPING, T0))
                .as("only a running job stops by steps").isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.jobs().transition(job.name(), JobStatus.IN_PROGRESS, JobStatus.STOPPING, T0.plusSeconds(2))).isTrue();
        assertThat(storage.jobs().transition(job.name(), JobStatus.IN_PROGRESS, JobStatus.STOPPING, T0.plusSeconds(3)))
                .as("already stopping").isFalse();
        ImportJob stopping = storage.jobs().find(job.name()).orElseThrow();
        assertThat(stopping.status()).isEqualTo(JobStatus.STOPPING);
        assertThat(stopping.updatedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(storage.jobs().queueHead(ds)).as("its dataset waits for its end").contains(job.name());
        assertThat(storage.jobs().unfinished()).contains(job.name(), next.name());
        assertThat(storage.jobs().recordPlan(job.name(), ImportStatistics.EMPTY, "plan")).as("not running").isEmpty();

        assertThat(storage.jobs().finish(ended(job, JobStatus.ACTIVE, T0.plusSeconds(4), null, ImportStatistics.EMPTY),
                "job-gen", "g0")).as("a Finish does not overwrite a stop").isFalse();
        assertThat(storage.jobs().finish(ended(job, JobStatus.FAILED, T0.plusSeconds(4), "x", ImportStatistics.EMPTY),
                null, null)).as("nor does a MarkFailed").isFalse();
        assertThat(storage.jobs().find(job.name()).orElseThrow().status()).isEqualTo(JobStatus.STOPPING);

        ImportJob stopped = ended(job, JobStatus.STOPPED, T0.plusSeconds(5), "stopped", new ImportStatistics(2, 1, 0, 0, 0, 1, 1, 0, 9));
        assertThat(storage.jobs().finish(stopped, null, null)).isTrue();
        assertThat(storage.jobs().find(job.name())).contains(stopped);
        assertThat(storage.jobs().queueHead(ds)).contains(next.name());
        assertThat(storage.jobs().unfinished()).doesNotContain(job.name());
        Dataset after = storage.datasets().find(ds).orElseThrow();
        assertThat(after.generation()).isEqualTo("g0");
        assertThat(after.activeJobs()).isEqualTo(1);
        assertThat(storage.jobs().finish(stopped, null, null)).as("stopped once").isFalse();
    }

    @Test
    void aPendingJobCanBeStoppedButARunningOneOnlyThroughStopping() {
        String ds = dataset();
        ImportJob pending = job(ds, unique("pending"), T0, ImportMode.FULL);
        ImportJob running = job(ds, unique("running"), T0.plusSeconds(1), ImportMode.FULL);
        storage.jobs().create(pending);
        storage.jobs().create(running);
        storage.jobs().transition(running.name(), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(2));
        assertThat(storage.jobs().finish(ended(running, JobStatus.STOPPED, T0.plusSeconds(3), "stopped",
                ImportStatistics.EMPTY), null, null)).as("IN_PROGRESS ends STOPPED only after STOPPING").isFalse();
        assertThat(storage.jobs().find(running.name()).orElseThrow().status()).isEqualTo(JobStatus.IN_PROGRESS);

        ImportJob stopped = ended(pending, JobStatus.STOPPED, T0.plusSeconds(3), "stopped before it started", ImportStatistics.EMPTY);
        assertThat(storage.jobs().finish(stopped, null, "job-gen")).isTrue();
        assertThat(storage.jobs().find(pending.name())).contains(stopped);
        assertThat(storage.jobs().queueHead(ds)).contains(running.name());
        assertThat(storage.datasets().find(ds).orElseThrow().retiredGenerations()).containsExactly("job-gen");
    }

    @Test
    void aChunkResultIsStoredOncePerChunkAndPass() {
        String name = unique("chunks");
        ChunkResult first = new ChunkResult(3, 1, new RecordCounts(5, -1, 2, 4, 1),
                List.of(new RowError("s3://b/k.csv", 7, "field 'A' is missing"), new RowError("s3://b/k.csv", 9, "bad \"quote\"")),
                "work/" + name + "/keys/3-x.bin", 2);
        assertThat(storage.jobs().putChunkResult(name, first)).isEqualTo(first);
        ChunkResult other = new ChunkResult(3, 1, new RecordCounts(9, 9, 9, 9, 9), List.of(), null, 0);
        assertThat(storage.jobs().putChunkResult(name, other)).as("the first result stays").isEqualTo(first);
        ChunkResult second = new ChunkResult(3, 2, new RecordCounts(0, 0, 1, 1, 0), List.of(), null, 0);
        ChunkResult zero = new ChunkResult(0, new RecordCounts(1, 0, 0, 0, 0), List.of());
        assertThat(storage.jobs().putChunkResult(name, second)).isEqualTo(second);
        assertThat(storage.jobs().putChunkResult(name, zero)).isEqualTo(zero);
        assertThat(storage.jobs().chunkResult(name, 3, 1)).contains(first);
        assertThat(storage.jobs().chunkResult(name, 3, 2)).contains(second);
        assertThat(storage.jobs().chunkResult(name, 4, 1)).isEmpty();
        assertThat(storage.jobs().chunkResults(name)).containsExactly(zero, first, second);
        assertThat(storage.jobs().chunkResults(unique("none"))).isEmpty();
    }

    /** A chunk's field statistics over a few rows of every kind. */
    private static dev.intake.core.stats.FieldSummaries fieldSummaries(int rows) {
        var schema = dev.intake.core.schema.RecordSchema.parse("""
                {"type":"record","name":"R","fields":[{"name":"id","type":"string"},{"name":"n","type":["null","long"]},
                {"name":"x","type":["null","double"]},{"name":"ts","type":"string"},{"name":"b","type":["null","boolean"]}]}""",
                List.of("id"));
        var collector = new dev.intake.core.stats.FieldStatisticsCollector(schema, java.util.Set.of("ts"), "yyyy-MM-dd");
        for (int i = 0; i < rows; i++) {
            var row = new java.util.HashMap<String, Object>();
            row.put("id", "k" + i);
            row.put("n", i % 3 == 0 ? null : (long) i * -7);
            row.put("x", i * 0.25);
            row.put("ts", "2024-01-" + (10 + i % 20));
            row.put("b", i % 2 == 0);
            collector.add(row);
        }
        return collector.summaries();
    }

    @Test
    void aChunkResultKeepsItsFieldStatisticsItsBytesAndItsLineBreaks() {
        String name = unique("chunk-stats");
        ChunkResult result = new ChunkResult(2, 1, new RecordCounts(40, 0, 0, 0, 0), List.of(), null, 0,
                fieldSummaries(40), 123_456, 4_321);
        assertThat(storage.jobs().putChunkResult(name, result)).isEqualTo(result);
        ChunkResult other = new ChunkResult(2, 1, new RecordCounts(1, 0, 0, 0, 0), List.of(), null, 0, fieldSummaries(1), 9);
        assertThat(storage.jobs().putChunkResult(name, other)).as("the first result stays, statistics and all").isEqualTo(result);
        assertThat(storage.jobs().chunkResult(name, 2, 1)).contains(result);
        assertThat(storage.jobs().chunkResults(name)).containsExactly(result);
        assertThat(storage.jobs().chunkResult(name, 2, 1).orElseThrow().fieldStatistics().fields().keySet())
                .containsExactly("id", "n", "x", "ts", "b");
    }

    @Test
    void progressCountsEachChunksFirstPassResultOnceWithItsBytes() {
        String ds = dataset();
        ImportJob job = job(ds, unique("progress"), T0, ImportMode.INCREMENTAL);
        storage.jobs().create(job);
        storage.jobs().transition(job.name(), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(1));
        assertThat(storage.jobs().progress(job.name())).isEqualTo(JobStore.Progress.NONE);

        storage.jobs().putChunkResult(job.name(), new ChunkResult(0, 1, new RecordCounts(5, 1, 0, 2, 1), List.of(), null, 0,
                null, 1_000));
        storage.jobs().putChunkResult(job.name(), new ChunkResult(1, 1, new RecordCounts(3, 0, 0, 0, 0), List.of(), null, 0,
                null, 250));
        // a retried chunk finds its result stored; a second pass is not progress of the first
        storage.jobs().putChunkResult(job.name(), new ChunkResult(0, 1, new RecordCounts(5, 1, 0, 2, 1), List.of(), null, 0,
                null, 1_000));
        storage.jobs().putChunkResult(job.name(), new ChunkResult(1, 2, new RecordCounts(0, 0, 3, 0, 0), List.of(), null, 0,
                null, 250));
        // the rows read, valid or not, of each chunk's first pass
        assertThat(storage.jobs().progress(job.name())).isEqualTo(new JobStore.Progress(2, 1_250, 12));
        assertThat(storage.jobs().progress(unique("no-such-job"))).isEqualTo(JobStore.Progress.NONE);
    }

    @Test
    void aJobEndedActiveKeepsItsFieldStatisticsInSchemaOrder() {
        String ds = dataset();
        ImportJob job = job(ds, unique("job-stats"), T0, ImportMode.FULL);
        storage.jobs().create(job);
        storage.jobs().transition(job.name(), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(1));
        var fields = dev.intake.core.stats.FieldSummaries.merge(List.of(fieldSummaries(30), fieldSummaries(7))).statistics();
        ImportJob plain = ended(job, JobStatus.ACTIVE, T0.plusSeconds(5), null, new ImportStatistics(37, 0, 0, 0, 0, 1, 1, 0, 9));
        ImportJob done = new ImportJob(plain.name(), plain.datasetName(), plain.dataLocation(), plain.mode(), plain.status(),
                plain.createdAt(), plain.updatedAt(), plain.failureReason(), plain.roleArn(), plain.tags(),
                plain.publishStatistics(), plain.maxFailedRowsPercent(), plain.statistics(), plain.statisticsLocation(),
                plain.errorReportLocation(), plain.trigger(), fields);
        assertThat(storage.jobs().finish(done, "job-gen", null)).isTrue();

        ImportJob read = storage.jobs().find(job.name()).orElseThrow();
        assertThat(read).isEqualTo(done);
        assertThat(read.fieldStatistics().keySet()).containsExactly("id", "n", "x", "ts", "b");
        assertThat(read.fieldStatistics().get("n").min()).isEqualTo(-7L * 29);
        assertThat(storage.jobs().listJobs(ds, null, 10).items()).containsExactly(done);
    }

    // ---- arrival batches ----

    private static final java.time.Instant UNTIL = T0.plusSeconds(5);

    private static dev.intake.core.ObjectArrival arrival(String key, String etag, String sequencer) {
        return new dev.intake.core.ObjectArrival("landing", key, 10, etag, null, sequencer);
    }

    private static ImportJob batchJob(String ds) {
        return new ImportJob(unique("batch"), ds, "s3://landing/" + ds + "/", ImportMode.INCREMENTAL, JobStatus.PENDING,
                T0, T0, null, null, Map.of(), false, 10.0, ImportStatistics.EMPTY, null, null,
                new dev.intake.core.ImportTrigger(dev.intake.core.ImportTrigger.Type.S3_EVENT, null));
    }

    @Test
    void aJobsExactObjectsAreStoredBeforeItWithoutTouchingArrivalBatches() {
        String ds = dataset();
        String name = unique("run");
        String key = unique("k");
        storage.jobs().putJobObjects(name, List.of(arrival(key + "/b.csv", "e2", "0"), arrival(key + "/a.csv", "e1", "0")));
        storage.jobs().putJobObjects(name, List.of(arrival(key + "/a.csv", "e1", "0"))); // again: nothing changes
        assertThat(storage.jobs().batchObjects(name)).containsExactly(arrival(key + "/a.csv", "e1", "0"),
                arrival(key + "/b.csv", "e2", "0"));
        assertThat(storage.jobs().batchObjects(unique("other"))).isEmpty();
        // no batch was opened, and an arrival of the same key is still new to the arrival batches
        assertThat(storage.jobs().openBatch(ds)).isEmpty();
        ImportJob job = batchJob(ds);
        assertThat(storage.jobs().openBatch(ds, job, UNTIL, arrival(key + "/a.csv", "e1", "01")))
                .isEqualTo(JobStore.Admission.ADDED);
    }

    @Test
    void openingABatchCreatesItsQueuedJobWithItsFirstObjectAndOnlyOneBatchIsOpenPerKey() {
        String ds = dataset();
        String key = unique("k") + "/a.csv";
        ImportJob job = batchJob(ds);
        assertThat(storage.jobs().openBatch(ds, job, UNTIL, arrival(key, "e1", "0A"))).isEqualTo(JobStore.Admission.ADDED);
        assertThat(storage.jobs().find(job.name())).contains(job);
        assertThat(storage.jobs().queueHead(ds)).contains(job.name());
        assertThat(storage.datasets().find(ds).orElseThrow().activeJobs()).isEqualTo(1);
        assertThat(storage.jobs().openBatch(ds)).contains(new JobStore.OpenBatch(job.name(), UNTIL, 1));
        assertThat(storage.jobs().batchObjects(job.name())).containsExactly(arrival(key, "e1", "0A"));

        ImportJob rival = batchJob(ds);
        assertThat(storage.jobs().openBatch(ds, rival, UNTIL, arrival(unique("k") + ".csv", "e", "01")))
                .isEqualTo(JobStore.Admission.CLOSED);
        assertThat(storage.jobs().find(rival.name())).isEmpty();
        assertThat(storage.datasets().find(ds).orElseThrow().activeJobs()).isEqualTo(1);
    }

    @Test
    void aRepeatedOrOlderArrivalIsADuplicateAndALaterWriteOfTheKeyReplacesItInTheBatch() {
        String ds = dataset();
        String key = unique("k") + ".csv";
        ImportJob job = batchJob(ds);
        storage.jobs().openBatch(ds, job, UNTIL, arrival(key, "e2", "005F"));
        // the same notification again, and an older write delivered late ("005E" < "005F")
        assertThat(storage.jobs().addToBatch(ds, job.name(), arrival(key, "e2", "005F"), 100))
                .isEqualTo(JobStore.Admission.DUPLICATE);
        assertThat(storage.jobs().addToBatch(ds, job.name(), arrival(key, "e1", "005E"), 100))
                .isEqualTo(JobStore.Admission.DUPLICATE);
        // sequencers compare after right-padding: "006" is later than "005F"
        assertThat(storage.jobs().addToBatch(ds, job.name(), arrival(key, "e3", "006"), 100))
                .isEqualTo(JobStore.Admission.ADDED);
        assertThat(storage.jobs().batchObjects(job.name())).containsExactly(arrival(key, "e3", "006"));
        assertThat(storage.jobs().openBatch(ds).orElseThrow().objects()).isEqualTo(2);
    }

    @Test
    void aDuplicateFirstArrivalOpensNoBatchAndCreatesNoJob() {
        String ds = dataset();
        String key = unique("k") + ".csv";
        ImportJob first = batchJob(ds);
        storage.jobs().openBatch(ds, first, UNTIL, arrival(key, "e", "0B"));
        storage.jobs().closeBatch(ds, first.name());
        ImportJob again = batchJob(ds);
        assertThat(storage.jobs().openBatch(ds, again, UNTIL, arrival(key, "e", "0B"))).isEqualTo(JobStore.Admission.DUPLICATE);
        assertThat(storage.jobs().find(again.name())).isEmpty();
        assertThat(storage.jobs().openBatch(ds)).isEmpty();
        // the key written again later opens the next batch
        assertThat(storage.jobs().openBatch(ds, again, UNTIL, arrival(key, "f", "0C"))).isEqualTo(JobStore.Admission.ADDED);
        assertThat(storage.jobs().batchObjects(again.name())).containsExactly(arrival(key, "f", "0C"));
        assertThat(storage.jobs().batchObjects(first.name())).containsExactly(arrival(key, "e", "0B"));
    }

    @Test
    void aClosedFullOrOtherBatchTakesNoArrivalAndRemembersNothing() {
        String ds = dataset();
        ImportJob job = batchJob(ds);
        storage.jobs().openBatch(ds, job, UNTIL, arrival(unique("k") + ".csv", "e", "01"));
        String second = unique("k") + ".csv";
        assertThat(storage.jobs().addToBatch(ds, job.name(), arrival(second, "e", "01"), 1)).isEqualTo(JobStore.Admission.CLOSED);
        assertThat(storage.jobs().addToBatch(ds, "another-job", arrival(second, "e", "01"), 100))
                .isEqualTo(JobStore.Admission.CLOSED);
        storage.jobs().closeBatch(ds, "another-job"); // not the open one: changes nothing
        assertThat(storage.jobs().openBatch(ds)).isPresent();
        storage.jobs().closeBatch(ds, job.name());
        assertThat(storage.jobs().openBatch(ds)).isEmpty();
        assertThat(storage.jobs().addToBatch(ds, job.name(), arrival(second, "e", "01"), 100)).isEqualTo(JobStore.Admission.CLOSED);
        assertThat(storage.jobs().batchObjects(job.name())).hasSize(1);
        // none of the refused arrivals was remembered: the key still opens a batch
        assertThat(storage.jobs().openBatch(ds, batchJob(ds), UNTIL, arrival(second, "e", "01")))
                .isEqualTo(JobStore.Admission.ADDED);
    }

    @Test
    void aBatchForADatasetThatDoesNotExistIsRefusedAndRemembersNothing() {
        String missing = unique("gone");
        String key = unique("k") + ".csv";
        ImportJob job = batchJob(missing);
        assertThatThrownBy(() -> storage.jobs().openBatch(missing, job, UNTIL, arrival(key, "e", "01")))
                .isInstanceOf(IntakeException.class).extracting(e -> ((IntakeException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(storage.jobs().openBatch(missing)).isEmpty();
        String ds = dataset();
        assertThat(storage.jobs().openBatch(ds, batchJob(ds), UNTIL, arrival(key, "e", "01"))).isEqualTo(JobStore.Admission.ADDED);
    }

    @Test
    void jobsListInCreationOrderThenByNameOfOneDatasetOrOfAll() {
        String first = dataset();
        String second = dataset();
        java.time.Instant at = T0.plusSeconds(400_000_000L); // later than any other test's jobs
        String prefix = unique("listed");
        List<ImportJob> created = List.of(
                job(first, prefix + "-b", at, ImportMode.FULL),
                job(second, prefix + "-a", at, ImportMode.FULL), // same time: by name
                job(first, prefix + "-c", at.plusMillis(1), ImportMode.FULL),
                job(second, prefix + "-0", at.plusSeconds(5), ImportMode.INCREMENTAL),
                job(first, prefix + "-z", at.plusSeconds(9), ImportMode.FULL));
        created.forEach(storage.jobs()::create);
        // a job that ended is still listed, as it is now
        ImportJob ended = ended(created.get(2), JobStatus.FAILED, at.plusSeconds(20), "broken", ImportStatistics.EMPTY);
        assertThat(storage.jobs().finish(ended, null, null)).isTrue();

        List<String> ofFirst = new java.util.ArrayList<>();
        String after = null;
        do {
            dev.intake.core.ports.Page<ImportJob> page = storage.jobs().listJobs(first, after, 2);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(j -> ofFirst.add(j.name()));
            if (page.items().stream().anyMatch(j -> j.name().equals(prefix + "-c"))) {
                assertThat(page.items()).contains(storage.jobs().find(prefix + "-c").orElseThrow());
            }
            after = page.lastKey();
        } while (after != null);
        assertThat(ofFirst).containsExactly(prefix + "-b", prefix + "-c", prefix + "-z");

        List<String> ofAll = new java.util.ArrayList<>();
        after = null;
        do {
            dev.intake.core.ports.Page<ImportJob> page = storage.jobs().listJobs(null, after, 50);
            page.items().stream().map(ImportJob::name).filter(n -> n.startsWith(prefix)).forEach(ofAll::add);
            after = page.lastKey();
        } while (after != null);
        assertThat(ofAll).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-0", prefix + "-z");
        assertThat(storage.jobs().listJobs(dataset(), null, 10).items()).isEmpty();
    }
}
