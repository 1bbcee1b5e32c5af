package dev.intake.core.stats;

import dev.intake.core.schema.FieldType;
import dev.intake.core.schema.SchemaField;
import java.util.Set;

/** What the statistics of a field describe: which figures it has, and how its values compare. */
public enum FieldKind {
    /** int and long fields: every figure; Min and Max exact. */
    INTEGER,
    /** float and double fields: every figure, NaN values counted apart (and left out of Min, Max, Avg, Stddev). */
    REAL,
    /** The import's timestamp fields: counts, Min and Max (as instants); no Avg or Stddev. */
    TIMESTAMP,
    /** Other string fields: counts only (Forecast gives no Min or Max for them either). */
    STRING,
    /** Counts only. */
    BOOLEAN;

    static FieldKind of(SchemaField field, Set<String> timestampFields) {
        if (field.type() == FieldType.STRING) {
            return timestampFields.contains(field.name()) ? TIMESTAMP : STRING;
        }
        return switch (field.type()) {
            case INT, LONG -> INTEGER;
            case FLOAT, DOUBLE -> REAL;
            case BOOLEAN -> BOOLEAN;
            case STRING -> STRING;
        };
    }

    /** Whether the field's values are numbers: it has NaN counts, Avg and Stddev. */
    public boolean numeric() {
        return this == INTEGER || this == REAL;
    }

    /** Whether the field has a Min and a Max. */
    public boolean ordered() {
        return this == INTEGER || this == REAL || this == TIMESTAMP;
    }
}
