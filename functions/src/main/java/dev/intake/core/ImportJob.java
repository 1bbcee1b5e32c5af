package dev.intake.core;

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
        ImportTrigger trigger) {

    public static final double DEFAULT_MAX_FAILED_ROWS_PERCENT = 10.0;

    public ImportJob {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        statistics = statistics == null ? ImportStatistics.EMPTY : statistics;
        trigger = trigger == null ? ImportTrigger.API : trigger;
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
