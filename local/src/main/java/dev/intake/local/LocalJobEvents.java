package dev.intake.local;

import dev.intake.api.JobStateChangeEvents;
import dev.intake.core.ImportJob;
import dev.intake.core.JobStateChange;
import dev.intake.core.ports.JobEventPublisher;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import dev.intake.core.ports.JobEventPublisher.PublishFailedException;
import dev.intake.core.ports.JobStore;
import dev.intake.local.store.SqliteJobEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the embedded database's outbox of job state changes (SqliteJobEvents) on one thread of
 * its own: woken when a change is added, it publishes the waiting changes in the order they
 * happened and deletes them once the publisher took them. A publisher that fails is tried again,
 * with backoff, from the first change it did not take; jobs never wait for it, and changes made
 * while the process was down are published when it starts.
 */
public final class LocalJobEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJobEvents.class);
    /** Changes read and published at once. */
    static final int BATCH = 100;
    /** Looks at the outbox this often even without a signal (a safety net; signals are not lost). */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final SqliteJobEvents outbox;
    private final JobStore jobs;
    private final JobStateChangeEvents render;
    private final JobEventPublisher publisher;
    private final Duration firstBackoff;
    private final Semaphore added = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts publishing.
     *
     * @param firstBackoff the wait after a failed publish, doubled after each further one (up to 5 s)
     */
    LocalJobEvents(SqliteJobEvents outbox, JobStore jobs, JobStateChangeEvents render, JobEventPublisher publisher,
                   Duration firstBackoff) {
        this.outbox = outbox;
        this.jobs = jobs;
        this.render = render;
        this.publisher = publisher;
        this.firstBackoff = firstBackoff;
        outbox.onAdded(added::release);
        thread = new Thread(this::run, "intake-job-events");
        thread.setDaemon(true);
        thread.start();
    }

    LocalJobEvents(SqliteJobEvents outbox, JobStore jobs, JobStateChangeEvents render, JobEventPublisher publisher) {
        this(outbox, jobs, render, publisher, Duration.ofMillis(100));
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            boolean emptied;
            try {
                emptied = drain();
            } catch (RuntimeException e) {
                LOG.warn("Could not read the outbox of job events; trying again: {}", e.getMessage(), e);
                emptied = false;
            }
            failures = emptied ? 0 : failures + 1;
            Duration wait = emptied ? POLL : backoff(failures);
            try {
                if (emptied) {
                    added.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                    added.drainPermits();
                } else {
                    Thread.sleep(wait.toMillis());
                }
            } catch (InterruptedException e) {
                return; // closing
            }
        }
    }

    private Duration backoff(int failures) {
        long millis = firstBackoff.toMillis() << Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /**
     * Publishes the waiting changes, oldest first, until none is left.
     *
     * @return false if the publisher failed (what it took is deleted; the rest waits)
     */
    boolean drain() {
        while (true) {
            List<SqliteJobEvents.Entry> entries = outbox.oldest(BATCH);
            if (entries.isEmpty()) {
                return true;
            }
            List<JobEvent> events = new ArrayList<>();
            List<Long> ids = new ArrayList<>(); // the outbox row each event came from
            for (SqliteJobEvents.Entry entry : entries) {
                Optional<ImportJob> job = jobs.find(entry.job());
                if (job.isEmpty()) {
                    LOG.warn("Job {} of a waiting state change no longer exists; its event is dropped", entry.job());
                    continue;
                }
                // The job as it is now: only what the change left in place is read (JobStateChange).
                events.add(render.event(new JobStateChange(job.get(), entry.previousStatus(), entry.status(), entry.time())));
                ids.add(entry.id());
            }
            try {
                publisher.publish(events);
            } catch (PublishFailedException e) {
                if (e.published() > 0) {
                    outbox.deleteThrough(ids.get(e.published() - 1));
                }
                LOG.warn("Published {} of {} job events; the rest waits: {}", e.published(), events.size(), e.getMessage());
                return false;
            } catch (RuntimeException e) {
                LOG.warn("Could not publish {} job events; they wait: {}", events.size(), e.getMessage(), e);
                return false;
            }
            outbox.deleteThrough(entries.get(entries.size() - 1).id());
            if (entries.size() < BATCH) {
                return true;
            }
        }
    }

    /** Stops publishing; what was not published stays in the outbox (in a data directory, for the next start). */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
