package dev.intake.core;

/** One invalid row, for the error report and the failure reason. */
public record RowError(String file, long line, String reason) {
    /** A row's reason is kept short: chunk results (DynamoDB items) hold up to 25 of them. */
    static final int MAX_REASON_CHARS = 500;

    public RowError {
        reason = reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
    }

    public String describe() {
        return file + " line " + line + ": " + reason;
    }
}
