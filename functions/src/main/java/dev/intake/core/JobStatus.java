package dev.intake.core;

import java.util.Set;

/** The one internal life cycle of an import job; each dialect renders it in its own vocabulary. */
public enum JobStatus {
    PENDING,
    IN_PROGRESS,
    ACTIVE,
    FAILED;

    /** The states this one may move to; every status write is conditioned on it. */
    public Set<JobStatus> next() {
        return switch (this) {
            case PENDING -> Set.of(IN_PROGRESS, FAILED);
            case IN_PROGRESS -> Set.of(ACTIVE, FAILED);
            case ACTIVE, FAILED -> Set.of();
        };
    }

    public boolean isTerminal() {
        return next().isEmpty();
    }

    public boolean canMoveTo(JobStatus target) {
        return next().contains(target);
    }
}
