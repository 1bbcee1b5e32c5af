package dev.intake.local;

import dev.intake.core.ports.JobEventPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for EventBridge: job state-change events, in the order they were published,
 * for tests and the demo to read or subscribe to, and one log line each. An event counts as
 * delivered once every subscriber took it; a subscriber that throws fails the publish, and the
 * event comes again (to every subscriber: delivery is at least once).
 */
public final class LocalEventBus implements JobEventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEventBus.class);

    private final List<JobEvent> delivered = new ArrayList<>();
    private final List<Consumer<JobEvent>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(List<JobEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            JobEvent event = events.get(i);
            for (Consumer<JobEvent> subscriber : subscribers) {
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    throw new PublishFailedException("A subscriber of the local event bus failed on the " + DETAIL_TYPE
                            + " event of job " + event.jobName() + ": " + e.getMessage(), i, e);
                }
            }
            LOG.info("{} (source {}, job {}): {}", DETAIL_TYPE, SOURCE, event.jobName(), event.detail());
            synchronized (delivered) {
                delivered.add(event);
                delivered.notifyAll();
            }
        }
    }

    /** Every event delivered so far, oldest first. */
    public List<JobEvent> events() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    /** The events of one job delivered so far, oldest first. */
    public List<JobEvent> events(String jobName) {
        return events().stream().filter(e -> e.jobName().equals(jobName)).toList();
    }

    /**
     * Waits until the delivered events satisfy {@code condition}, and returns them.
     *
     * @throws IllegalStateException if they do not within {@code timeout}
     */
    public List<JobEvent> await(Predicate<List<JobEvent>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (delivered) {
            while (!condition.test(List.copyOf(delivered))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the local event bus did not get the expected events within " + timeout
                            + "; it has " + delivered.size() + ": " + delivered);
                }
                delivered.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(delivered);
        }
    }

    /** Calls {@code subscriber} with each event from now on, before it counts as delivered; close to stop. */
    public AutoCloseable subscribe(Consumer<JobEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
