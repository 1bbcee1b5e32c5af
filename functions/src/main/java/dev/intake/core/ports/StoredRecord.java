package dev.intake.core.ports;

import dev.intake.core.RecordOutcome;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the engine needs to know of a stored record to classify a new row for it, idempotently.
 *
 * @param hash    the digest of the stored content
 * @param job     the import that last wrote it
 * @param seq     the position of that row in that import (chunk, then row order)
 * @param base    the digest of the record before {@code job} first wrote it ("" if it did not exist),
 *                so a retried or duplicated row is compared with the same thing every time
 * @param history the earlier rows of {@code job} that this key held and that a later row of the
 *                same import replaced: their position and the outcome each was counted with. It is
 *                written with the record itself (one item, no transaction), so whether a row was
 *                written and what its write replaced can be told at any time, by any attempt.
 */
public record StoredRecord(String key, String hash, String job, long seq, String base,
                           NavigableMap<Long, RecordOutcome> history) {
    public StoredRecord {
        history = history == null || history.isEmpty() ? Collections.emptyNavigableMap()
                : Collections.unmodifiableNavigableMap(new TreeMap<>(history));
    }

    public StoredRecord(String key, String hash, String job, long seq, String base) {
        this(key, hash, job, seq, base, null);
    }

    /** Whether {@code job}'s row at {@code rowSeq} was ever written (it may have been replaced since). */
    public boolean wrote(long rowSeq) {
        return rowSeq == seq || history.containsKey(rowSeq);
    }

    /** The row of this import that the write of {@code rowSeq} replaced, if it replaced one. */
    public Map.Entry<Long, RecordOutcome> replacedBy(long rowSeq) {
        return history.lowerEntry(rowSeq);
    }
}
