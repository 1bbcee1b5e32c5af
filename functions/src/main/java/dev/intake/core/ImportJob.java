package dev.intake.core;

import dev.intake.core.stats.FieldStatistics;
import java.time.Instant;
import java.util.Map;

/**
 * An import job, the unit every dialect starts, describes and lists.
 *
 * @param name                  unique job name (its identity)
 * @param maxFailedRowsPercent  the job fails when more than this share of rows is invalid
 * @param publishStatistics     write the statistics report to S3 (Personalize's
 *                              publishAttributionMetricsToS3)
 * @param statisticsLocation    where the statistics report was written, once it was
 * @param errorReportLocation   where the error report was written, when rows failed
 * @param trigger               what started the job
 * @param fieldStatistics       per schema field, what the job's valid rows held: set when it ended
 *                              ACTIVE, empty otherwise
 */
public record ImportJob(
        String name,
        String datasetName,
        String dataLocation,
        ImportMode mode,
        JobStatus status,
        Instant createdAt,
        Instant updatedAt,
        String failureReason,
        String roleArn,
        Map<String, String> tags,
        boolean publishStatistics,
        double maxFailedRowsPercent,
        ImportStatistics statistics,
        String statisticsLocation,
        String errorReportLocation,
        ImportTrigger trigger,
        Map<String, FieldStatistics> fieldStatistics) {

    public static final double DEFAULT_MAX_FAILED_ROWS_PERCENT = 10.0;

    public ImportJob {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        statistics = statistics == null ? ImportStatistics.EMPTY : statistics;
        trigger = trigger == null ? ImportTrigger.API : trigger;
        // in schema order
        fieldStatistics = fieldStatistics == null || fieldStatistics.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fieldStatistics));
    }

    /** A job without field statistics (every job until it ends ACTIVE). */
    public ImportJob(String name, String datasetName, String dataLocation, ImportMode mode, JobStatus status,
                     Instant createdAt, Instant updatedAt, String failureReason, String roleArn, Map<String, String> tags,
                     boolean publishStatistics, double maxFailedRowsPercent, ImportStatistics statistics,
                     String statisticsLocation, String errorReportLocation, ImportTrigger trigger) {
        this(name, datasetName, dataLocation, mode, status, createdAt, updatedAt, failureReason, roleArn, tags,
                publishStatistics, maxFailedRowsPercent, statistics, statisticsLocation, errorReportLocation, trigger,
                Map.of());
    }

    /** A job started by an API call. */
    public ImportJob(String name, String datasetName, String dataLocation, ImportMode mode, JobStatus status,
                     Instant createdAt, Instant updatedAt, String failureReason, String roleArn, Map<String, String> tags,
                     boolean publishStatistics, double maxFailedRowsPercent, ImportStatistics statistics,
                     String statisticsLocation, String errorReportLocation) {
        this(name, datasetName, dataLocation, mode, status, createdAt, updatedAt, failureReason, roleArn, tags,
                publishStatistics, maxFailedRowsPercent, statistics, statisticsLocation, errorReportLocation,
                ImportTrigger.API);
    }
}
