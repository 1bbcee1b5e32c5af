package dev.intake.local.contract;

import dev.intake.core.Dataset;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.JobStatus;
import dev.intake.core.ports.Storage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the storage contracts share: one storage per test class (from the adapter under test) and
 * names no other test uses, so tests never see each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageContract {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    Storage storage;

    /** The adapters under test, fresh for this test class. */
    protected abstract Storage newStorage();

    @BeforeAll
    void openStorage() {
        storage = newStorage();
    }

    static String unique(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    /** A new dataset whose readers see generation "g0". */
    String dataset() {
        String name = unique("ds");
        storage.datasets().create(new Dataset(name, "{\"type\":\"record\"}", List.of("id", "part"), T0, T0, "g0", false, 0));
        return name;
    }

    static ImportJob job(String dataset, String name, Instant created, ImportMode mode) {
        return new ImportJob(name, dataset, "s3://bucket/" + dataset + "/", mode, JobStatus.PENDING, created, created, null,
                null, Map.of(), false, ImportJob.DEFAULT_MAX_FAILED_ROWS_PERCENT, ImportStatistics.EMPTY, null, null);
    }

    /** The job as finish() takes it: ended at {@code when} with the given status and counts. */
    static ImportJob ended(ImportJob job, JobStatus status, Instant when, String reason, ImportStatistics stats) {
        return new ImportJob(job.name(), job.datasetName(), job.dataLocation(), job.mode(), status, job.createdAt(), when,
                reason, job.roleArn(), job.tags(), job.publishStatistics(), job.maxFailedRowsPercent(), stats,
                job.publishStatistics() ? "s3://results/statistics/" + job.name() + ".json" : null,
                stats.failed() > 0 ? "s3://results/error-reports/" + job.name() + ".csv" : null);
    }
}
