package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.ChunkResult;
import dev.intake.core.Dataset;
import dev.intake.core.ImportAccess;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportJobService;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.JobStatus;
import dev.intake.core.RecordCounts;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.events.MutableClock;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** EstimatedTimeRemainingInMinutes: from the share of planned bytes the first pass has done, and the time since the start. */
class EstimatedTimeRemainingTest {
    private static final Instant STARTED = Instant.parse("2026-11-23T10:00:00Z");

    private final SqliteDatabase db = SqliteDatabase.inMemory();
    private final Storage storage = SqliteStorage.of(db);
    private final MutableClock clock = new MutableClock(STARTED);
    private final ImportJobService service = new ImportJobService(storage.datasets(), storage.jobs(),
            WorkflowStarter.manual(name -> { }), ImportMetrics.NONE, ImportAccess.NONE, clock);

    @AfterEach
    void close() {
        db.close();
    }

    private String runningJob(long plannedBytes) {
        storage.datasets().create(new Dataset("ds", "{\"type\":\"record\"}", List.of("id"), STARTED, STARTED, "g0", false, 0));
        ImportJob job = new ImportJob("job", "ds", "s3://b/ds/", ImportMode.FULL, JobStatus.PENDING, STARTED.minusSeconds(60),
                STARTED.minusSeconds(60), null, null, Map.of(), false, 10.0, ImportStatistics.EMPTY, null, null);
        storage.jobs().create(job);
        storage.jobs().transition("job", JobStatus.PENDING, JobStatus.IN_PROGRESS, STARTED);
        if (plannedBytes > 0) {
            storage.jobs().recordPlan("job", ImportStatistics.EMPTY.withFiles(1, 1, 0, plannedBytes), "work/job/plan.json");
        }
        return "job";
    }

    private OptionalLong estimate(String job) {
        return service.estimatedMinutesRemaining(storage.jobs().find(job).orElseThrow());
    }

    private void chunkDone(String job, int index, long bytes) {
        storage.jobs().putChunkResult(job, new ChunkResult(index, 1, RecordCounts.ZERO, List.of(), null, 0, null, bytes));
    }

    @Test
    void theRestTakesAsLongAsTheShareDoneTookSoFarRoundedUpToMinutes() {
        String job = runningJob(1_000);
        clock.set(STARTED.plus(Duration.ofMinutes(3)));
        assertThat(estimate(job)).as("no chunk done yet: nothing to go by").isEmpty();

        chunkDone(job, 0, 250);
        assertThat(estimate(job)).hasValue(9); // a quarter in 3 minutes: 9 more
        chunkDone(job, 0, 250); // a retried chunk counts once
        assertThat(estimate(job)).hasValue(9);

        chunkDone(job, 1, 700);
        clock.set(STARTED.plus(Duration.ofMinutes(19)));
        assertThat(estimate(job)).hasValue(1); // 95% in 19 minutes: 1 more
        chunkDone(job, 2, 50);
        assertThat(estimate(job)).as("every chunk done: Finish is all that is left").hasValue(0);
    }

    @Test
    void aJobThatIsNotRunningOrHasNoPlanHasNoEstimate() {
        String job = runningJob(0);
        chunkDone(job, 0, 10);
        clock.set(STARTED.plusSeconds(30));
        assertThat(estimate(job)).as("no plan yet").isEmpty();

        storage.jobs().recordPlan(job, ImportStatistics.EMPTY.withFiles(1, 1, 0, 100), "work/job/plan.json");
        assertThat(estimate(job)).hasValue(5); // 10% in 30 s: 4.5 more minutes, rounded up

        storage.jobs().transition(job, JobStatus.IN_PROGRESS, JobStatus.STOPPING, clock.instant());
        assertThat(estimate(job)).as("stopping").isEmpty();
        ImportJob stopping = storage.jobs().find(job).orElseThrow();
        storage.jobs().finish(new ImportJob(stopping.name(), stopping.datasetName(), stopping.dataLocation(),
                stopping.mode(), JobStatus.STOPPED, stopping.createdAt(), clock.instant(), "stopped", null, Map.of(), false, 10.0,
                stopping.statistics(), null, null), null, null);
        assertThat(estimate(job)).as("ended").isEmpty();
    }
}
