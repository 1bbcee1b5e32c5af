package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.intake.core.ChunkResult;
import dev.intake.core.Dataset;
import dev.intake.core.ImportAccess;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportJobService;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportProgress;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A running job's progress from what the store holds (the plan's totals on the job, the chunks'
 * first-pass results counted on it), whatever fans the chunks out: files, bytes and rows done of the
 * total, rows/s and the time left.
 */
class ImportProgressTest {
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

    private void runningJob() {
        storage.datasets().create(new Dataset("ds", "{\"type\":\"record\"}", List.of("id"), STARTED, STARTED, "g0", false, 0));
        storage.jobs().create(new ImportJob("job", "ds", "s3://b/ds/", ImportMode.FULL, JobStatus.PENDING,
                STARTED.minusSeconds(60), STARTED.minusSeconds(60), null, null, Map.of(), false, 10.0,
                ImportStatistics.EMPTY, null, null));
        storage.jobs().transition("job", JobStatus.PENDING, JobStatus.IN_PROGRESS, STARTED);
    }

    private Optional<ImportProgress> progress() {
        return service.progress(storage.jobs().find("job").orElseThrow());
    }

    private void chunkDone(int index, long bytes, long rows) {
        storage.jobs().putChunkResult("job", new ChunkResult(index, 1, new RecordCounts(rows - 1, 0, 0, 0, 1), List.of(),
                null, 0, null, bytes));
    }

    @Test
    void filesBytesAndRowsDoneOfTheTotalWithThePaceAndTheTimeLeft() {
        runningJob();
        clock.set(STARTED.plusSeconds(5));
        assertThat(progress()).as("not planned yet: nothing of a total")
                .contains(new ImportProgress(0, 0, 0, 0, 0, 0, 0, ImportProgress.UNKNOWN));

        storage.jobs().recordPlan("job", ImportStatistics.EMPTY.withFiles(5, 4, 1, 1_000_000), "work/job/plan.json");
        assertThat(progress()).as("planned, no chunk done: nothing to go by")
                .contains(new ImportProgress(0, 4, 0, 1_000_000, 0, 0, 0, ImportProgress.UNKNOWN));

        chunkDone(0, 250_000, 10_000);
        clock.set(STARTED.plus(Duration.ofSeconds(100)));
        ImportProgress quarter = progress().orElseThrow();
        assertThat(quarter.filesDone()).isEqualTo(1); // a quarter of the bytes of 4 files
        assertThat(quarter.filesTotal()).isEqualTo(4);
        assertThat(quarter.bytesDone()).isEqualTo(250_000);
        assertThat(quarter.rowsDone()).isEqualTo(10_000);
        assertThat(quarter.rowsTotal()).isEqualTo(40_000);
        assertThat(quarter.rowsPerSecond()).isCloseTo(100.0, within(1e-9));
        assertThat(quarter.secondsRemaining()).isEqualTo(300); // a quarter in 100 s: 300 s more
        assertThat(quarter.fraction()).isEqualTo(0.25);

        chunkDone(0, 250_000, 10_000); // a retried chunk counts once
        chunkDone(1, 500_000, 25_000);
        storage.jobs().putChunkResult("job", new ChunkResult(1, 2, new RecordCounts(0, 0, 25_000, 0, 0), List.of(),
                null, 0, null, 500_000)); // a second pass is no progress of the first
        clock.set(STARTED.plus(Duration.ofSeconds(150)));
        ImportProgress most = progress().orElseThrow();
        assertThat(most.filesDone()).isEqualTo(3);
        assertThat(most.rowsDone()).isEqualTo(35_000);
        assertThat(most.rowsTotal()).isEqualTo(46_667);
        assertThat(most.secondsRemaining()).isEqualTo(50);

        chunkDone(2, 250_000, 5_000);
        assertThat(progress()).as("every chunk done: exact totals, Finish is all that is left")
                .contains(new ImportProgress(4, 4, 1_000_000, 1_000_000, 40_000, 40_000, 40_000 / 150.0, 0));
    }

    @Test
    void onlyARunningJobHasProgress() {
        runningJob();
        storage.jobs().recordPlan("job", ImportStatistics.EMPTY.withFiles(1, 1, 0, 100), "work/job/plan.json");
        chunkDone(0, 10, 3);
        assertThat(progress()).isPresent();
        storage.jobs().transition("job", JobStatus.IN_PROGRESS, JobStatus.STOPPING, clock.instant());
        assertThat(progress()).as("stopping").isEmpty();
    }
}
