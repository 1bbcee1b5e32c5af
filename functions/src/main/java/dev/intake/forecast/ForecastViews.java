package dev.intake.forecast;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.core.ImportJob;
import dev.intake.core.stats.FieldStatistics;
import java.time.Instant;
import java.util.Map;

/** Import jobs in Forecast's response shapes (DescribeDatasetImportJobResponse, DatasetImportJobSummary). */
final class ForecastViews {
    /** DataSize is in gigabytes (10^9 bytes): the bytes the job read. */
    private static final double BYTES_PER_GB = 1e9;

    private ForecastViews() {
    }

    static ObjectNode describe(ImportJob job, ImportSettings settings, ForecastArns arns, Instant now) {
        return describe(job, settings, arns, now, java.util.OptionalLong.empty());
    }

    /**
     * @param minutesRemaining the engine's estimate while the job runs (EstimatedTimeRemainingInMinutes)
     */
    static ObjectNode describe(ImportJob job, ImportSettings settings, ForecastArns arns, Instant now,
                               java.util.OptionalLong minutesRemaining) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("DatasetImportJobName", job.name());
        node.put("DatasetImportJobArn", arns.importJob(job.datasetName(), job.name()));
        node.put("DatasetArn", arns.dataset(job.datasetName()));
        node.put("TimestampFormat", settings.timestampFormat() == null ? ImportSettings.DEFAULT_TIMESTAMP_FORMAT
                : settings.timestampFormat());
        if (settings.timeZone() != null) {
            node.put("TimeZone", settings.timeZone());
        }
        node.put("UseGeolocationForTimeZone", settings.useGeolocationForTimeZone());
        if (settings.geolocationFormat() != null) {
            node.put("GeolocationFormat", settings.geolocationFormat());
        }
        node.set("DataSource", dataSource(job, settings));
        minutesRemaining.ifPresent(minutes -> node.put("EstimatedTimeRemainingInMinutes", minutes));
        if (!job.fieldStatistics().isEmpty()) {
            node.set("FieldStatistics", fieldStatistics(job.fieldStatistics()));
        }
        if (job.status().isTerminal()) {
            node.put("DataSize", job.statistics().bytes() / BYTES_PER_GB);
        }
        common(node, job, now);
        node.put("Format", settings.format());
        return node;
    }

    /**
     * Each field's statistics in Forecast's Statistics shape: every count both as Integer (-1 beyond
     * Integer's range, as the model says) and as Long, as Forecast answers; CountNan, Avg and Stddev
     * for numeric fields; Min and Max as strings for numeric and timestamp fields.
     */
    static ObjectNode fieldStatistics(Map<String, FieldStatistics> fields) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        fields.forEach((name, f) -> {
            ObjectNode stats = out.putObject(name);
            count(stats, "Count", f.count());
            if (f.countDistinct() != FieldStatistics.UNKNOWN) {
                count(stats, "CountDistinct", f.countDistinct());
            }
            count(stats, "CountNull", f.countNull());
            if (f.kind().numeric()) {
                count(stats, "CountNan", f.countNan());
            }
            if (f.min() != null) {
                stats.put("Min", f.minText());
                stats.put("Max", f.maxText());
            }
            if (f.avg() != null) {
                stats.put("Avg", f.avg());
                stats.put("Stddev", f.stddev());
            }
        });
        return out;
    }

    private static void count(ObjectNode stats, String member, long value) {
        stats.put(member, value <= Integer.MAX_VALUE ? (int) value : -1);
        stats.put(member + "Long", value);
    }

    static ObjectNode summary(ImportJob job, ImportSettings settings, ForecastArns arns, Instant now) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("DatasetImportJobArn", arns.importJob(job.datasetName(), job.name()));
        node.put("DatasetImportJobName", job.name());
        node.set("DataSource", dataSource(job, settings));
        common(node, job, now);
        return node;
    }

    private static ObjectNode dataSource(ImportJob job, ImportSettings settings) {
        ObjectNode dataSource = Json.MAPPER.createObjectNode();
        ObjectNode s3 = dataSource.putObject("S3Config").put("Path", job.dataLocation());
        if (job.roleArn() != null) {
            s3.put("RoleArn", job.roleArn());
        }
        if (settings.kmsKeyArn() != null) {
            s3.put("KMSKeyArn", settings.kmsKeyArn());
        }
        return dataSource;
    }

    /** Status, Message, the times (LastModificationTime as the model defines it per status) and ImportMode. */
    private static void common(ObjectNode node, ImportJob job, Instant now) {
        node.put("Status", Dialect.FORECAST.jobStatus(job.status()));
        if (job.failureReason() != null) {
            node.put("Message", job.failureReason());
        }
        node.put("CreationTime", Json.epochSeconds(job.createdAt()));
        Instant modified = switch (job.status()) {
            case PENDING -> job.createdAt();
            case IN_PROGRESS, STOPPING -> now;
            case ACTIVE, FAILED, STOPPED -> job.updatedAt();
        };
        node.put("LastModificationTime", Json.epochSeconds(modified));
        node.put("ImportMode", job.mode().name());
    }
}
