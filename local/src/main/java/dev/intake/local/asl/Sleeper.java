package dev.intake.local.asl;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the executor spends time: Wait states, Retry intervals and Task TimeoutSeconds all go through it,
 * so tests can use a {@link VirtualSleeper} and never wait for real.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Runs {@code start}, which starts work that completes {@code completion}, and waits until the work completes
     * or {@code timeout} elapses (counted from the start).
     *
     * @return false when the timeout elapsed first
     */
    default boolean awaitCompletion(Runnable start, CompletableFuture<?> completion, Duration timeout)
            throws InterruptedException {
        start.run();
        try {
            completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // completed, exceptionally: the caller reads the outcome from the task
        }
    }

    /** Sleeps for real. */
    static Sleeper realTime() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            }
        };
    }
}
