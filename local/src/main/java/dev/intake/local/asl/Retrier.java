package dev.intake.local.asl;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/** One element of a state's Retry field. {@code maxDelaySeconds} is null when the interval is not capped. */
record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
               Integer maxDelaySeconds, boolean fullJitter) {
    static final int DEFAULT_INTERVAL_SECONDS = 1;
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final double DEFAULT_BACKOFF_RATE = 2.0;

    boolean matches(String error) {
        return ErrorNames.matches(errorEquals, error);
    }

    /**
     * The wait before retry number {@code retriesSoFar + 1}: IntervalSeconds * BackoffRate^retriesSoFar,
     * capped at MaxDelaySeconds; with JitterStrategy FULL a random duration between zero and that.
     */
    Duration delayBeforeRetry(int retriesSoFar, DoubleSupplier random) {
        double seconds = intervalSeconds * Math.pow(backoffRate, retriesSoFar);
        if (maxDelaySeconds != null) {
            seconds = Math.min(seconds, maxDelaySeconds);
        }
        if (fullJitter) {
            seconds *= random.getAsDouble();
        }
        return Duration.ofMillis(Math.round(Math.min(seconds, 1e12) * 1000));
    }
}
