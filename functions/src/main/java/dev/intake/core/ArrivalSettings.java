package dev.intake.core;

import java.time.Duration;

/**
 * How objects arriving in S3 become imports.
 *
 * @param landingBucket    the bucket whose top-level folders are datasets ({@code s3://<landing>/<dataset>/...});
 *                         null: only saved data sources map arrivals
 * @param window           how long an arrival batch collects objects after its first one before its
 *                         job may start (it collects for longer while an earlier import of the dataset runs)
 * @param maxObjectsPerJob a batch this full closes, and the next arrival opens another
 */
public record ArrivalSettings(String landingBucket, Duration window, int maxObjectsPerJob) {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);
    public static final Duration MAX_WINDOW = Duration.ofMinutes(15);
    /**
     * Planning an arrival batch checks each object's arrived version with one HEAD request, one after
     * the other inside the Plan step's invocation: 10,000 of them (some tens of ms each) stay well
     * inside its 15 minutes. A busier folder makes several batches; a batch may hold up to
     * {@link ImportPlanner#MAX_CHUNKS} objects, what one import can read.
     */
    public static final int DEFAULT_MAX_OBJECTS = 10_000;
    public static final String LANDING_BUCKET_VARIABLE = "LANDING_BUCKET";
    public static final String WINDOW_VARIABLE = "ARRIVAL_WINDOW_SECONDS";

    public ArrivalSettings {
        if (window == null || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("the arrival window is 0 to " + MAX_WINDOW.toSeconds() + " seconds, not "
                    + (window == null ? null : window.toSeconds()));
        }
        if (maxObjectsPerJob < 1 || maxObjectsPerJob > ImportPlanner.MAX_CHUNKS) {
            throw new IllegalArgumentException("an arrival batch holds 1 to " + ImportPlanner.MAX_CHUNKS + " objects");
        }
    }

    public ArrivalSettings(String landingBucket) {
        this(landingBucket, DEFAULT_WINDOW, DEFAULT_MAX_OBJECTS);
    }

    public static ArrivalSettings fromEnvironment(java.util.Map<String, String> env) {
        String window = env.get(WINDOW_VARIABLE);
        return new ArrivalSettings(env.get(LANDING_BUCKET_VARIABLE),
                window == null ? DEFAULT_WINDOW : Duration.ofSeconds(Long.parseLong(window.trim())), DEFAULT_MAX_OBJECTS);
    }
}
