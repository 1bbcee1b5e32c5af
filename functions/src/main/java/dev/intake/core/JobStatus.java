package dev.intake.core;

import java.util.Set;

/** The one internal life cycle of an import job; each dialect renders it in its own vocabulary. */
public enum JobStatus {
    PENDING,
    IN_PROGRESS,
    ACTIVE,
    FAILED,
    /**
     * A stop was asked for while the job ran: its chunks write no more and its execution is being
     * stopped; the job becomes STOPPED when the execution has ended.
     */
    STOPPING,
    /**
     * Stopped before it ended: a FULL import left the dataset as it was; an INCREMENTAL one kept the
     * rows it had applied, which its statistics count.
     */
    STOPPED;

    /** The states this one may move to; every status write is conditioned on it. */
    public Set<JobStatus> next() {
        return switch (this) {
            case PENDING -> Set.of(IN_PROGRESS, FAILED, STOPPED);
            case IN_PROGRESS -> Set.of(ACTIVE, FAILED, STOPPING);
            // a stop asked for wins over whatever the execution still does (finish, fail)
            case STOPPING -> Set.of(STOPPED);
            case ACTIVE, FAILED, STOPPED -> Set.of();
        };
    }

    public boolean isTerminal() {
        return next().isEmpty();
    }

    public boolean canMoveTo(JobStatus target) {
        return next().contains(target);
    }
}
