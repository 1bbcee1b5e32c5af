package dev.intake.infra;

import dev.intake.adapters.metrics.PowertoolsImportMetrics;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The application metrics the functions emit with Powertools (Embedded Metric Format), and the
 * Powertools settings every function gets so that they land where the dashboard reads them:
 * namespace {@value #NAMESPACE}, the single dimension {@code Service} = {@value #SERVICE}.
 */
final class IntakeMetrics {
    static final String NAMESPACE = "Intake";
    static final String SERVICE = "intake";
    /** Powertools adds the service name as this dimension to every metric. */
    static final String SERVICE_DIMENSION = "Service";

    // The names the functions emit (one place: their Powertools adapter).
    static final String IMPORT_JOBS_STARTED = PowertoolsImportMetrics.JOBS_STARTED;
    static final String IMPORT_JOBS_SUCCEEDED = PowertoolsImportMetrics.JOBS_SUCCEEDED;
    static final String IMPORT_JOBS_FAILED = PowertoolsImportMetrics.JOBS_FAILED;
    static final String ROWS_INGESTED = PowertoolsImportMetrics.ROWS_INGESTED;
    /** DynamoDB requests throttled (and retried) while chunks were ingested. */
    static final String STORAGE_THROTTLES = PowertoolsImportMetrics.STORAGE_THROTTLES;
    /** Milliseconds from start to end of a job. */
    static final String IMPORT_JOB_DURATION = PowertoolsImportMetrics.JOB_DURATION;

    /** Read by Powertools' logging and metrics at start-up. */
    static final Map<String, String> POWERTOOLS_ENVIRONMENT = Map.of(
            "POWERTOOLS_SERVICE_NAME", SERVICE,
            "POWERTOOLS_METRICS_NAMESPACE", NAMESPACE,
            "POWERTOOLS_LOG_LEVEL", "INFO");

    private IntakeMetrics() {
    }

    static Metric metric(String name, String statistic, Duration period, String label) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(SERVICE_DIMENSION, SERVICE))
                .statistic(statistic)
                .period(period)
                .label(label)
                .build();
    }
}
