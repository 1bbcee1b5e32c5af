package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.adapters.dynamodb.DynamoDatasetStore;
import dev.intake.adapters.dynamodb.DynamoJobStore;
import dev.intake.adapters.dynamodb.DynamoRecordStore;
import dev.intake.core.ChunkResult;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.RecordCounts;
import dev.intake.core.RecordOutcome;
import dev.intake.core.RowError;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DynamoDB adapters against DynamoDB Local: conditions, transactions, idempotence. */
class DynamoAdaptersTest {
    private static EmbeddedDynamo dynamo;
    private static DynamoDatasetStore datasets;
    private static DynamoJobStore jobs;
    private static DynamoRecordStore records;
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static int counter;

    @BeforeAll
    static void start() {
        dynamo = EmbeddedDynamo.inMemory();
        datasets = new DynamoDatasetStore(dynamo.client(), EmbeddedDynamo.TABLES.control());
        jobs = new DynamoJobStore(dynamo.client(), EmbeddedDynamo.TABLES.control());
        records = new DynamoRecordStore(dynamo.client(), EmbeddedDynamo.TABLES);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static String dataset() {
        String name = "ds-" + (++counter);
        datasets.create(new Dataset(name, "{}", List.of("id"), T0, T0, "g0", false, 0));
        return name;
    }

    private static ImportJob job(String dataset, String name, Instant created) {
        return new ImportJob(name, dataset, "s3://b/k", ImportMode.FULL, JobStatus.PENDING, created, created, null, null,
                Map.of("team", "a"), false, 10, ImportStatistics.EMPTY, null, null);
    }

    @Test
    void datasetNamesAreUniqueAndListInOrderAcrossPages() {
        String a = dataset();
        assertThatThrownBy(() -> datasets.create(new Dataset(a, "{}", List.of("id"), T0, T0, "g", false, 0)))
                .isInstanceOf(IntakeException.class).extracting(e -> ((IntakeException) e).kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
        dataset();
        var first = datasets.list(null, 1);
        assertThat(first.items()).hasSize(1);
        var rest = datasets.list(first.lastKey(), 100);
        assertThat(rest.items()).extracting(Dataset::name).doesNotContain(first.items().get(0).name());
    }

    @Test
    void creatingAJobQueuesItCountsItAndNamesAreUnique() {
        String ds = dataset();
        jobs.create(job(ds, "j-" + ds + "-b", T0.plusSeconds(1)));
        jobs.create(job(ds, "j-" + ds + "-a", T0.plusSeconds(2)));
        assertThat(jobs.queueHead(ds)).contains("j-" + ds + "-b");
        assertThat(datasets.find(ds).orElseThrow().activeJobs()).isEqualTo(2);
        assertThatThrownBy(() -> jobs.create(job(ds, "j-" + ds + "-a", T0))).isInstanceOf(IntakeException.class)
                .hasMessage("Import job 'j-" + ds + "-a' already exists");
        assertThatThrownBy(() -> jobs.create(job("no-such-dataset", "j-orphan", T0)))
                .hasMessage("Dataset 'no-such-dataset' does not exist");
        assertThat(jobs.find("j-orphan")).as("a refused job leaves nothing behind").isEmpty();
        assertThat(jobs.find("j-" + ds + "-a").orElseThrow().tags()).isEqualTo(Map.of("team", "a"));
    }

    @Test
    void transitionsAreConditionalAndFinishingIsOnceOnly() {
        String ds = dataset();
        String name = "t-" + ds;
        jobs.create(job(ds, name, T0));
        assertThat(jobs.transition(name, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(1))).isTrue();
        assertThat(jobs.transition(name, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(2))).isFalse();
        assertThatThrownBy(() -> jobs.transition(name, JobStatus.ACTIVE, JobStatus.PENDING, T0))
                .isInstanceOf(IllegalArgumentException.class);

        ImportJob running = jobs.find(name).orElseThrow();
        assertThat(running.status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(running.updatedAt()).isEqualTo(T0.plusSeconds(1));
        ImportJob done = new ImportJob(name, ds, running.dataLocation(), running.mode(), JobStatus.ACTIVE, running.createdAt(),
                T0.plusSeconds(5), null, null, Map.of(), false, 10, new ImportStatistics(3, 0, 0, 0, 0, 1, 1, 0, 10), null, null);
        assertThat(jobs.finish(done, "g-new", "g0")).isTrue();
        assertThat(jobs.finish(done, "g-other", "g-new")).as("a retried finish changes nothing").isFalse();
        Dataset after = datasets.find(ds).orElseThrow();
        assertThat(after.generation()).isEqualTo("g-new");
        assertThat(after.retiredGenerations()).containsExactly("g0");
        datasets.generationDeleted(ds, "g0");
        assertThat(datasets.find(ds).orElseThrow().retiredGenerations()).isEmpty();
        assertThat(after.fullImported()).isTrue();
        assertThat(after.activeJobs()).isZero();
        assertThat(jobs.queueHead(ds)).isEmpty();
        assertThat(jobs.find(name).orElseThrow().statistics().added()).isEqualTo(3);
        datasets.delete(ds);
        assertThat(datasets.find(ds)).isEmpty();
    }

    @Test
    void aChunkResultIsWrittenOnce() {
        String name = "chunks-" + (++counter);
        ChunkResult first = new ChunkResult(0, new RecordCounts(1, 2, 3, 4, 5), List.of(new RowError("s3://b/k", 7, "bad")));
        assertThat(jobs.putChunkResult(name, first)).isEqualTo(first);
        ChunkResult second = new ChunkResult(0, new RecordCounts(9, 9, 9, 9, 9), List.of());
        assertThat(jobs.putChunkResult(name, second)).as("the first result stays").isEqualTo(first);
        assertThat(jobs.chunkResults(name)).containsExactly(first);
    }

    @Test
    void recordCommitsAreConditionalOnTheStateTheyWereDecidedOn() {
        String ds = dataset();
        jobs.create(job(ds, "job1-" + ds, T0));
        jobs.transition("job1-" + ds, JobStatus.PENDING, JobStatus.IN_PROGRESS, T0);
        RecordWrite a = new RecordWrite("k1", "{\"v\":1}", "h1", 1, "", null, null);
        assertThat(records.commit(ds, "g", "job1-" + ds, List.of(a))).isTrue();
        assertThat(records.commit(ds, "g", "job1-" + ds, List.of(a))).as("expected absent, but present").isFalse();

        StoredRecord stored = records.read(ds, "g", List.of("k1", "k2")).get("k1");
        assertThat(stored).isEqualTo(new StoredRecord("k1", "h1", "job1-" + ds, 1, ""));
        RecordWrite later = new RecordWrite("k1", "{\"v\":2}", "h2", 5, "", stored, RecordOutcome.ADDED);
        RecordWrite other = new RecordWrite("k2", "{\"v\":3}", "h3", 6, "", null, null);
        RecordWrite stale = new RecordWrite("k1", "{\"v\":9}", "h9", 9, "", new StoredRecord("k1", "h0", "job0-" + ds, 0, ""), null);
        assertThat(records.commit(ds, "g", "job1-" + ds, List.of(other, stale))).isFalse();
        assertThat(records.read(ds, "g", List.of("k2"))).as("all or nothing").isEmpty();

        assertThat(records.commit(ds, "g", "job1-" + ds, List.of(later, other))).isTrue();
        assertThat(records.get(ds, "g", "k1")).contains("{\"v\":2}");
        assertThat(records.superseded("job1-" + ds, "k1", 1)).isTrue();
        assertThat(records.superseded("job1-" + ds, "k1", 5)).isFalse();
        assertThat(jobs.corrections("job1-" + ds)).isEqualTo(new RecordCounts(-1, 0, 0, 1, 0));

        records.deleteGeneration(ds, "g");
        assertThat(records.read(ds, "g", List.of("k1", "k2"))).isEmpty();

        // Once the job has ended, none of its writes goes through any more.
        ImportJob running = jobs.find("job1-" + ds).orElseThrow();
        jobs.finish(new ImportJob(running.name(), ds, running.dataLocation(), running.mode(), JobStatus.FAILED,
                running.createdAt(), T0.plusSeconds(9), "stopped", null, Map.of(), false, 10, ImportStatistics.EMPTY,
                null, null), null, null);
        assertThatThrownBy(() -> records.commit(ds, "g", "job1-" + ds, List.of(a)))
                .isInstanceOf(dev.intake.core.JobNotRunningException.class);
        assertThat(records.read(ds, "g", List.of("k1"))).isEmpty();
    }
}
