package dev.intake.core.ports;

import dev.intake.core.RecordOutcome;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One record write, conditioned on the state it was decided on.
 *
 * @param expected the state read before deciding (null: the key did not exist); the write applies
 *                 only if the key still holds it (same job and seq, or still absent)
 * @param history  the record's history after this write (see {@link StoredRecord#history()})
 */
public record RecordWrite(String key, String canonical, String hash, long seq, String base,
                          StoredRecord expected, NavigableMap<Long, RecordOutcome> history) {
    public RecordWrite {
        history = history == null || history.isEmpty() ? Collections.emptyNavigableMap()
                : Collections.unmodifiableNavigableMap(new TreeMap<>(history));
    }
}
