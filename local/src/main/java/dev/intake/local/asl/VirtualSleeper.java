package dev.intake.local.asl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A sleeper for tests: sleeping records the duration and advances a virtual clock instantly.
 * A Task timeout elapses when the virtual clock passes it, so a test function that "takes"
 * 10 seconds calls {@code sleeper.sleep(Duration.ofSeconds(10))} instead of blocking.
 */
public final class VirtualSleeper implements Sleeper {
    private final List<Duration> sleeps = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            sleeps.add(duration);
            elapsed = elapsed.plus(duration);
            notifyAll();
        }
    }

    /**
     * Timed out means the virtual clock passed the deadline before the work completed. The work usually
     * completes at once in real time, so what counts is the virtual time at which it completed.
     */
    @Override
    public boolean awaitCompletion(Runnable start, CompletableFuture<?> completion, Duration timeout)
            throws InterruptedException {
        Duration deadline;
        synchronized (this) {
            deadline = elapsed.plus(timeout);
        }
        AtomicReference<Duration> completedAt = new AtomicReference<>();
        completion.whenComplete((result, error) -> {
            synchronized (this) {
                completedAt.set(elapsed);
                notifyAll();
            }
        });
        start.run();
        synchronized (this) {
            while (completedAt.get() == null) {
                if (elapsed.compareTo(deadline) > 0) {
                    return false;
                }
                wait();
            }
            return completedAt.get().compareTo(deadline) <= 0;
        }
    }

    /** Every requested sleep, in the order requested. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Total virtual time slept. */
    public synchronized Duration elapsed() {
        return elapsed;
    }
}
