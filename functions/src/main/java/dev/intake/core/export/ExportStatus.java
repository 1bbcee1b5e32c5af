package dev.intake.core.export;

/** An export job's life: PENDING → IN_PROGRESS → ACTIVE, or FAILED (from either) with a reason. */
public enum ExportStatus {
    PENDING, IN_PROGRESS, ACTIVE, FAILED;

    public boolean ended() {
        return this == ACTIVE || this == FAILED;
    }
}
