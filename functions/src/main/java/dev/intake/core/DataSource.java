package dev.intake.core;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A saved data source: a folder (or a whole bucket) that imports into a dataset, run by hand
 * (StartDataSourceRun), by its schedule, or by objects arriving under it. DataZone's data sources
 * map onto these.
 *
 * @param location             a folder {@code s3://bucket/prefix/} or a whole bucket {@code s3://bucket/}
 * @param schedule             when it runs by itself; null for never
 * @param enabled              false stops its schedule and its S3-event runs; a run by hand still works
 * @param roleArn              the role its imports read as; null for Intake's own
 * @param maxFailedRowsPercent its imports' failed-rows limit; null for the jobs' default
 * @param version              1 when created, one more with every update (updates are conditional on it)
 */
public record DataSource(
        String name,
        DataLocation location,
        String datasetName,
        ImportMode importMode,
        SourceSchedule schedule,
        boolean enabled,
        String roleArn,
        Double maxFailedRowsPercent,
        Map<String, String> tags,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /**
     * Short enough that a run's job name (the source's name, a marker and a time) fits the 63
     * characters of a job name.
     */
    public static final int MAX_NAME_LENGTH = 40;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]*");

    public DataSource {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw IntakeException.invalid("Data source name '" + name + "' must be 1 to " + MAX_NAME_LENGTH
                    + " letters, digits, '-' and '_', starting with a letter or digit");
        }
        if (location == null || !location.isFolder()) {
            throw IntakeException.invalid("A data source's location is a folder (s3://bucket/prefix/, ending in a"
                    + " slash) or a whole bucket (s3://bucket/), not " + (location == null ? "nothing" : location.uri()));
        }
        if (maxFailedRowsPercent != null && !(maxFailedRowsPercent >= 0 && maxFailedRowsPercent <= 100)) {
            throw IntakeException.invalid("maxFailedRowsPercent must be between 0 and 100");
        }
        importMode = importMode == null ? ImportMode.FULL : importMode;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * The tag of a source that imports only when it runs (by hand or on its schedule), never because
     * an object arrived under it: a DataZone data source, whose runs import what changed since the
     * last run and would otherwise import an arrival a second time.
     */
    public static final String RUNS_ONLY_TAG = "intake:runs-only";

    public boolean runsOnly() {
        return tags.containsKey(RUNS_ONLY_TAG);
    }

    /** Whether its schedule is to fire: it has one and is enabled. */
    public boolean scheduled() {
        return schedule != null && enabled;
    }
}
