package dev.intake.core.ports;

import dev.intake.core.RecordOutcome;

/**
 * One record write, conditioned on the state it was decided on.
 *
 * @param expected    the state read before deciding (null: the key did not exist)
 * @param superseded  when this row replaces an earlier row of the same import: that row's outcome,
 *                    which becomes "skipped" (recorded atomically with the write); else null
 */
public record RecordWrite(String key, String canonical, String hash, long seq, String base,
                          StoredRecord expected, RecordOutcome superseded) {
}
