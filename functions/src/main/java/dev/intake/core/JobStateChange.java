package dev.intake.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One status transition of an import job, the subject of one state-change event: created (no
 * previous status, now PENDING), PENDING to IN_PROGRESS, and the end (ACTIVE or FAILED, from
 * IN_PROGRESS or, for a job that never started, PENDING).
 *
 * @param job            the job as the change left it, or later: an event reads only what does not
 *                       change after the transition (name, dataset, trigger, creation time) and, for
 *                       a terminal status, the outcome (statistics, reason, reports), which is final
 * @param previousStatus null when the job was just created
 * @param time           when the job took {@code status}
 */
public record JobStateChange(ImportJob job, JobStatus previousStatus, JobStatus status, Instant time) {
    public JobStateChange {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(time, "time");
    }

    /**
     * The transition between two stored versions of a job: none when its status did not change
     * (a plan recorded, a retried write) or there is no job after (a removed item).
     *
     * @param before the job before the write, or null when the write created it
     * @param after  the job after the write, or null when the write removed it
     */
    public static Optional<JobStateChange> between(ImportJob before, ImportJob after) {
        if (after == null || before != null && before.status() == after.status()) {
            return Optional.empty();
        }
        return Optional.of(new JobStateChange(after, before == null ? null : before.status(), after.status(),
                after.updatedAt()));
    }

    public String jobName() {
        return job.name();
    }

    /** Whether the job ended with this change: its outcome is part of the event. */
    public boolean terminal() {
        return status.isTerminal();
    }
}
