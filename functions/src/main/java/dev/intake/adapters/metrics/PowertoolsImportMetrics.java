package dev.intake.adapters.metrics;

import dev.intake.core.ImportJob;
import dev.intake.core.JobStatus;
import dev.intake.core.RecordCounts;
import dev.intake.core.ports.ImportMetrics;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Import metrics as CloudWatch Embedded Metric Format log lines, through Powertools (namespace and
 * the Service dimension come from POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME). Each
 * event is flushed at once, so no handler has to remember to.
 */
public final class PowertoolsImportMetrics implements ImportMetrics {
    public static final String JOBS_STARTED = "ImportJobsStarted";
    public static final String JOBS_SUCCEEDED = "ImportJobsSucceeded";
    public static final String JOBS_FAILED = "ImportJobsFailed";
    public static final String ROWS_INGESTED = "RowsIngested";
    public static final String JOB_DURATION = "ImportJobDuration";
    public static final String STORAGE_THROTTLES = "StorageThrottledRequests";

    private final Metrics metrics;

    public PowertoolsImportMetrics() {
        this(MetricsFactory.getMetricsInstance());
    }

    /** With another Metrics (tests: outside Lambda, EMF goes to a CloudWatch agent, not standard output). */
    PowertoolsImportMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public synchronized void jobStarted(ImportJob job) {
        metrics.addMetric(JOBS_STARTED, 1, MetricUnit.COUNT);
        metrics.flush();
    }

    /** Rows per chunk as it is ingested, so rows per minute shows throughput while a job runs. */
    @Override
    public synchronized void chunkIngested(ImportJob job, RecordCounts counts) {
        metrics.addMetric(ROWS_INGESTED, counts.total() - counts.failed(), MetricUnit.COUNT);
        metrics.flush();
    }

    @Override
    public synchronized void jobEnded(ImportJob job) {
        boolean succeeded = job.status() == JobStatus.ACTIVE;
        metrics.addMetric(succeeded ? JOBS_SUCCEEDED : JOBS_FAILED, 1, MetricUnit.COUNT);
        metrics.addMetric(JOB_DURATION, Duration.between(job.createdAt(), job.updatedAt()).toMillis(),
                MetricUnit.MILLISECONDS);
        metrics.addMetadata("jobName", job.name());
        metrics.flush();
    }

    /** Only when some were: a chunk without throttling writes no line. */
    @Override
    public synchronized void storageThrottled(ImportJob job, long requests) {
        if (requests > 0) {
            metrics.addMetric(STORAGE_THROTTLES, requests, MetricUnit.COUNT);
            metrics.addMetadata("jobName", job.name());
            metrics.flush();
        }
    }
}
