package dev.intake.lookout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.core.ChunkResult;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportProgress;
import dev.intake.core.ImportStatistics;
import dev.intake.core.JobStatus;
import dev.intake.core.RowError;
import dev.intake.core.stats.FieldKind;
import dev.intake.core.stats.FieldStatistics;
import dev.intake.core.stats.FieldSummaries;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ingestion jobs and their outcome in Lookout's shapes (DescribeDataIngestionJobResponse, summaries). */
final class LookoutViews {
    /** The model's BoundedLengthString. */
    private static final int MAX_TEXT = 5000;
    /** How the engine names the field a failed row failed on. */
    private static final Pattern FIELD = Pattern.compile("^(?:key )?field '([^']*)'");

    private LookoutViews() {
    }

    /**
     * @param mapping  the dataset's schema, null when the dataset is gone
     * @param progress a running job's progress, for its StatusDetail
     */
    static ObjectNode describe(String jobId, ImportJob job, IngestionSettings settings, List<ChunkResult> results,
                               LookoutSchema.Mapping mapping, java.util.Optional<ImportProgress> progress) {
        String timestampColumn = mapping == null ? "" : mapping.timestampColumn();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("JobId", jobId);
        node.put("DatasetArn", settings.datasetArn());
        node.set("IngestionInputConfiguration", input(settings));
        if (job.roleArn() != null) {
            node.put("RoleArn", job.roleArn());
        }
        node.put("CreatedAt", Json.epochSeconds(job.createdAt()));
        node.put("Status", Dialect.LOOKOUTEQUIPMENT.jobStatus(job.status()));
        if (job.failureReason() != null && job.status().isTerminal()) {
            node.put("FailedReason", cap(job.failureReason()));
        }
        node.set("DataQualitySummary", dataQuality(job, results, mapping));
        node.set("IngestedFilesSummary", files(job.statistics(), settings));
        node.put("StatusDetail", cap(statusDetail(job, progress)));
        node.put("IngestedDataSize", job.statistics().bytes());
        dataTimes(node, job, timestampColumn);
        return node;
    }

    /**
     * DataStartTime and DataEndTime: the earliest and latest timestamp the job ingested, to the second,
     * from its field statistics (so once it succeeded; a value without an offset is UTC).
     */
    static void dataTimes(ObjectNode node, ImportJob job, String timestampColumn) {
        FieldStatistics timestamps = job.fieldStatistics().get(timestampColumn);
        if (timestamps != null && timestamps.kind() == FieldKind.TIMESTAMP && timestamps.min() != null) {
            node.put("DataStartTime", Json.epochSeconds(Instant.ofEpochSecond(timestamps.min().longValue())));
            node.put("DataEndTime", Json.epochSeconds(Instant.ofEpochSecond(timestamps.max().longValue())));
        }
    }

    static ObjectNode summary(String jobId, ImportJob job, IngestionSettings settings) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("JobId", jobId);
        node.put("DatasetName", settings.datasetName());
        node.put("DatasetArn", settings.datasetArn());
        node.set("IngestionInputConfiguration", input(settings));
        node.put("Status", Dialect.LOOKOUTEQUIPMENT.jobStatus(job.status()));
        return node;
    }

    static ObjectNode input(IngestionSettings settings) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        ObjectNode s3 = config.putObject("S3InputConfiguration").put("Bucket", settings.bucket());
        if (settings.prefix() != null) {
            s3.put("Prefix", settings.prefix());
        }
        s3.put("KeyPattern", settings.keyPattern());
        return config;
    }

    /** Files: the engine's counts; discarded files as the plan listed them (at most 100). */
    static ObjectNode files(ImportStatistics statistics, IngestionSettings settings) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("TotalNumberOfFiles", (int) statistics.filesTotal());
        node.put("IngestedNumberOfFiles", (int) statistics.filesIngested());
        var discarded = node.putArray("DiscardedFiles");
        for (String uri : settings.discarded()) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            discarded.addObject().put("Bucket", rest.substring(0, slash)).put("Key", rest.substring(slash + 1));
        }
        return node;
    }

    /** A sensor whose data spans less than this has a short date range (the model's "less than 14 days of data"). */
    static final long SHORT_DATE_RANGE_SECONDS = java.time.Duration.ofDays(14).toSeconds();

    /**
     * What the engine can tell of the data's quality. A sensor is one column of one component. Duplicate
     * timestamps are the rows skipped because a later row had the same component and timestamp (the
     * last one wins); unsupported timestamps and invalid sensor values are the failed rows whose first
     * problem was the timestamp column or a sensor column, as far as the chunks keep them (their first
     * 25 each). The rest comes from the chunks' field statistics kept apart by component (each file,
     * so each chunk, is one component's: {@link FieldSummaries#mergeByGiven}), over the component's
     * valid rows: a sensor with no value in any of them (or a component with no rows) has its data
     * missing completely; one with some values and some empty ones has missing data (its empty values
     * are the missing values); one with values whose component's timestamps span less than 14 days
     * has a short date range.
     *
     * @param mapping the dataset's schema (null when the dataset is gone: only the failed-row counts)
     */
    static ObjectNode dataQuality(ImportJob job, List<ChunkResult> results, LookoutSchema.Mapping mapping) {
        String timestampColumn = mapping == null ? "" : mapping.timestampColumn();
        ImportStatistics statistics = job.statistics();
        Map<Integer, ChunkResult> latest = new TreeMap<>();
        for (ChunkResult r : results) {
            latest.merge(r.index(), r, (a, b) -> a.pass() >= b.pass() ? a : b); // a chunk counted again: its later pass
        }
        long badTimestamps = 0;
        long badValues = 0;
        Set<String> badSensors = new HashSet<>();
        for (ChunkResult r : latest.values()) {
            for (RowError e : r.errors()) {
                Matcher m = FIELD.matcher(e.reason());
                if (!m.find()) {
                    continue;
                }
                if (m.group(1).equals(timestampColumn)) {
                    badTimestamps++;
                } else if (!m.group(1).equals(LookoutSchema.COMPONENT_FIELD)) {
                    badValues++;
                    badSensors.add(m.group(1));
                }
            }
        }
        Map<Map<String, String>, FieldSummaries> byComponent = FieldSummaries.mergeByGiven(
                latest.values().stream().map(ChunkResult::fieldStatistics).toList());
        long sensorsWithoutData = 0;
        long sensorsWithShortRange = 0;
        long sensorsMissingData = 0;
        long missingValues = 0;
        for (LookoutSchema.Component component : mapping == null ? List.<LookoutSchema.Component>of() : mapping.components()) {
            FieldSummaries rows = byComponent.get(Map.of(LookoutSchema.COMPONENT_FIELD, component.name()));
            Map<String, FieldStatistics> fields = rows == null ? Map.of() : rows.statistics();
            FieldStatistics timestamps = fields.get(timestampColumn);
            boolean shortRange = timestamps != null && timestamps.kind() == FieldKind.TIMESTAMP && timestamps.min() != null
                    && timestamps.max().longValue() - timestamps.min().longValue() < SHORT_DATE_RANGE_SECONDS;
            for (String sensor : component.sensors()) {
                FieldStatistics values = fields.get(sensor);
                if (values == null || values.count() == 0) {
                    sensorsWithoutData++;
                    continue;
                }
                if (values.countNull() > 0) {
                    sensorsMissingData++;
                    missingValues += values.countNull();
                }
                if (shortRange) {
                    sensorsWithShortRange++;
                }
            }
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        ObjectNode insufficient = node.putObject("InsufficientSensorData");
        insufficient.putObject("MissingCompleteSensorData").put("AffectedSensorCount", integer(sensorsWithoutData));
        insufficient.putObject("SensorsWithShortDateRange").put("AffectedSensorCount", integer(sensorsWithShortRange));
        node.putObject("MissingSensorData").put("AffectedSensorCount", integer(sensorsMissingData))
                .put("TotalNumberOfMissingValues", integer(missingValues));
        node.putObject("InvalidSensorData").put("AffectedSensorCount", badSensors.size())
                .put("TotalNumberOfInvalidValues", integer(badValues));
        node.putObject("UnsupportedTimestamps").put("TotalNumberOfUnsupportedTimestamps", integer(badTimestamps));
        node.putObject("DuplicateTimestamps").put("TotalNumberOfDuplicateTimestamps", integer(statistics.skipped()));
        return node;
    }

    /** The model's Integer members: a count past their range shows as the largest they hold. */
    private static int integer(long count) {
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /** @param progress a running job's progress (empty for any other) */
    static String statusDetail(ImportJob job, java.util.Optional<ImportProgress> progress) {
        ImportStatistics s = job.statistics();
        return switch (job.status()) {
            case PENDING -> "Waiting to start: a dataset's ingestion jobs run one at a time, in the order they were started";
            case IN_PROGRESS -> s.filesTotal() == 0 ? "Listing and checking the input files"
                    : progress.map(p -> progressDetail(p, s.filesDiscarded()))
                            .orElse("Ingesting " + s.filesIngested() + " file(s); " + s.filesDiscarded() + " discarded");
            case STOPPING -> "Stopping";
            case ACTIVE -> "Ingested " + s.rowsRead() + " row(s) from " + s.filesIngested() + " file(s): " + s.added()
                    + " added, " + s.updated() + " updated, " + s.unchanged() + " unchanged, " + s.skipped()
                    + " replaced by a later row of the same component and timestamp, " + s.failed() + " failed";
            case FAILED, STOPPED -> job.failureReason() == null ? "Failed" : job.failureReason();
        };
    }

    /**
     * A running ingestion's progress as one sentence: files (estimated from the bytes), bytes and rows
     * done, the pace, and the time left; "Ingesting 2 of 4 file(s) (1 discarded): 1.2 of 5.0 MB (24%),
     * 12,345 row(s) at 1,234 rows/s, about 3 min left".
     */
    static String progressDetail(ImportProgress p, long discarded) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Ingesting %,d of %,d file(s)",
                p.filesDone(), p.filesTotal()));
        if (discarded > 0) {
            text.append(String.format(Locale.ROOT, " (%,d discarded)", discarded));
        }
        text.append(String.format(Locale.ROOT, ": %.1f of %.1f MB (%d%%), %,d row(s)", p.bytesDone() / 1e6,
                p.bytesTotal() / 1e6, p.bytesTotal() <= 0 ? 0 : p.bytesDone() * 100 / p.bytesTotal(), p.rowsDone()));
        if (p.secondsRemaining() == ImportProgress.UNKNOWN) {
            return text.append(", no file part done yet").toString();
        }
        text.append(String.format(Locale.ROOT, " at %,.0f rows/s, ", p.rowsPerSecond()));
        long seconds = p.secondsRemaining();
        text.append(seconds == 0 ? "finishing" : seconds < 60 ? "about " + seconds + " s left"
                : "about " + (seconds + 59) / 60 + " min left");
        return text.toString();
    }

    private static String cap(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }

    static boolean running(ImportJob job) {
        return !job.status().isTerminal();
    }

    static boolean succeeded(ImportJob job) {
        return job.status() == JobStatus.ACTIVE;
    }
}
