package dev.intake.core;

/**
 * What an import did. Record counts: added (new key), updated (content changed), unchanged,
 * skipped (a key repeated later in the same import: the last row wins) and failed (invalid rows).
 * File counts come from planning: files seen, files read, files discarded (not a known format).
 */
public record ImportStatistics(
        long added,
        long updated,
        long unchanged,
        long skipped,
        long failed,
        long filesTotal,
        long filesIngested,
        long filesDiscarded,
        long bytes) {

    public static final ImportStatistics EMPTY = new ImportStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Every row read, valid or not. */
    public long rowsRead() {
        return added + updated + unchanged + skipped + failed;
    }

    public ImportStatistics plusRecords(RecordCounts c) {
        return new ImportStatistics(added + c.added(), updated + c.updated(), unchanged + c.unchanged(),
                skipped + c.skipped(), failed + c.failed(), filesTotal, filesIngested, filesDiscarded, bytes);
    }

    public ImportStatistics withFiles(long total, long ingested, long discarded, long totalBytes) {
        return new ImportStatistics(added, updated, unchanged, skipped, failed, total, ingested, discarded, totalBytes);
    }
}
