package dev.intake.core.ports;

import dev.intake.core.RecordOutcome;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The text form in which adapters keep a record's history ({@link StoredRecord#history()}):
 * {@code seq:o} entries (seq in base 36; o is a for added, u for updated, n for unchanged) joined by
 * commas, oldest first. Compact, because it is part of every write of a repeated key.
 */
public final class RecordHistory {
    private RecordHistory() {
    }

    public static String encode(NavigableMap<Long, RecordOutcome> history) {
        StringBuilder text = new StringBuilder(history.size() * 12);
        for (Map.Entry<Long, RecordOutcome> e : history.entrySet()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(Long.toString(e.getKey(), 36)).append(':').append(letter(e.getValue()));
        }
        return text.toString();
    }

    public static NavigableMap<Long, RecordOutcome> decode(String text) {
        NavigableMap<Long, RecordOutcome> history = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return history;
        }
        for (String entry : text.split(",")) {
            int colon = entry.indexOf(':');
            if (colon < 1 || colon != entry.length() - 2) {
                throw new IllegalArgumentException("not a history entry: " + entry);
            }
            history.put(Long.parseLong(entry.substring(0, colon), 36), outcome(entry.charAt(colon + 1)));
        }
        return history;
    }

    private static char letter(RecordOutcome outcome) {
        return switch (outcome) {
            case ADDED -> 'a';
            case UPDATED -> 'u';
            case UNCHANGED -> 'n';
            case SKIPPED, FAILED -> throw new IllegalArgumentException("a written row was " + outcome);
        };
    }

    private static RecordOutcome outcome(char letter) {
        return switch (letter) {
            case 'a' -> RecordOutcome.ADDED;
            case 'u' -> RecordOutcome.UPDATED;
            case 'n' -> RecordOutcome.UNCHANGED;
            default -> throw new IllegalArgumentException("not a history outcome: " + letter);
        };
    }
}
