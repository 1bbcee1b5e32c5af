package dev.intake.core.format;

import java.util.Map;

/**
 * One record as read from a file, before schema validation.
 *
 * @param line   1-based line number in the file where the record starts
 * @param values field name to value, in file order; null when the record is malformed
 * @param error  why the record is malformed; null when it was read
 */
public record RawRow(long line, Map<String, Object> values, String error) {
    public RawRow {
        if ((values == null) == (error == null)) {
            throw new IllegalArgumentException("a row has either values or an error");
        }
    }

    static RawRow of(long line, Map<String, Object> values) {
        return new RawRow(line, values, null);
    }

    static RawRow malformed(long line, String error) {
        return new RawRow(line, null, error);
    }
}
