package dev.intake.core.ports;

/** Data could not be read or written; the message is safe to show in a job's failure reason. */
public class ObjectStoreException extends RuntimeException {
    private final boolean transientFailure;

    public ObjectStoreException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Worth retrying (throttling, a dropped connection) rather than a final answer. */
    public boolean isTransient() {
        return transientFailure;
    }
}
