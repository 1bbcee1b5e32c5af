package dev.intake.core;

/** One invalid row, for the error report and the failure reason. */
public record RowError(String file, long line, String reason) {
    public String describe() {
        return file + " line " + line + ": " + reason;
    }
}
