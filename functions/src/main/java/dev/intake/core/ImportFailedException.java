package dev.intake.core;

/**
 * The import cannot succeed (no files, unreadable data, header not matching the schema). The
 * message becomes the job's failureReason, so it says what is wrong in the user's terms.
 * The workflow does not retry it.
 */
public class ImportFailedException extends RuntimeException {
    public ImportFailedException(String reason) {
        super(reason, null, false, false);
    }
}
