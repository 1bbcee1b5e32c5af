package dev.intake.adapters.metrics;

import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.JobStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * What the adapter asks of Powertools' Metrics. (Outside Lambda the EMF library sends to a CloudWatch
 * agent rather than standard output, so the Metrics interface is the seam here.)
 */
class PowertoolsImportMetricsTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
    private static final ImportJob JOB = new ImportJob("job-1", "ds", "s3://b/ds/", ImportMode.FULL, JobStatus.IN_PROGRESS,
            AT, AT, null, null, Map.of(), false, 10.0, ImportStatistics.EMPTY, null, null);

    private final Metrics metrics = mock(Metrics.class);

    @Test
    void throttledStorageRequestsAreACountMetricWithTheJobFlushedAtOnce() {
        new PowertoolsImportMetrics(metrics).storageThrottled(JOB, 3);

        InOrder order = inOrder(metrics);
        order.verify(metrics).addMetric(PowertoolsImportMetrics.STORAGE_THROTTLES, 3, MetricUnit.COUNT);
        order.verify(metrics).addMetadata("jobName", "job-1");
        order.verify(metrics).flush();
        order.verifyNoMoreInteractions();
    }

    @Test
    void aChunkRunWithoutThrottlingWritesNothing() {
        new PowertoolsImportMetrics(metrics).storageThrottled(JOB, 0);

        verifyNoInteractions(metrics);
    }
}
