package dev.intake.core;

/** Per-record outcome counts; what a chunk reports and what corrections adjust. */
public record RecordCounts(long added, long updated, long unchanged, long skipped, long failed) {
    public static final RecordCounts ZERO = new RecordCounts(0, 0, 0, 0, 0);

    public RecordCounts plus(RecordCounts o) {
        return new RecordCounts(added + o.added, updated + o.updated, unchanged + o.unchanged,
                skipped + o.skipped, failed + o.failed);
    }

    public RecordCounts plus(RecordOutcome outcome, long n) {
        return switch (outcome) {
            case ADDED -> new RecordCounts(added + n, updated, unchanged, skipped, failed);
            case UPDATED -> new RecordCounts(added, updated + n, unchanged, skipped, failed);
            case UNCHANGED -> new RecordCounts(added, updated, unchanged + n, skipped, failed);
            case SKIPPED -> new RecordCounts(added, updated, unchanged, skipped + n, failed);
            case FAILED -> new RecordCounts(added, updated, unchanged, skipped, failed + n);
        };
    }

    public long total() {
        return added + updated + unchanged + skipped + failed;
    }
}
