package dev.intake.core;

/**
 * The machine's own storage cannot go on: a full disk, a read-only file, a data directory that
 * cannot be written. The message names the storage and what is wrong with it in the operator's
 * terms, and it becomes a job's failureReason. Retrying at once does not help, so the workflow
 * does not retry it.
 */
public class StorageFailedException extends RuntimeException {
    public StorageFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
