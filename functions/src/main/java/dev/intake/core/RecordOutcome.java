package dev.intake.core;

/** What happened to one row of an import. */
public enum RecordOutcome {
    ADDED,
    UPDATED,
    UNCHANGED,
    SKIPPED,
    FAILED;

    /** How a row with content digest {@code hash} compares with the record it replaces (null: none). */
    public static RecordOutcome compare(String hash, String baseHash) {
        if (baseHash == null || baseHash.isEmpty()) {
            return ADDED;
        }
        return baseHash.equals(hash) ? UNCHANGED : UPDATED;
    }
}
