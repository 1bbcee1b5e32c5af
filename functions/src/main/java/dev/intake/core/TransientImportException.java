package dev.intake.core;

/** A failure worth retrying (throttling, a dropped connection, a lost race); the workflow retries it. */
public class TransientImportException extends RuntimeException {
    public TransientImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
