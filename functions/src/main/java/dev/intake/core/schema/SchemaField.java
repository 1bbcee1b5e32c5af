package dev.intake.core.schema;

/**
 * One field of a dataset schema.
 *
 * @param nullable     the Avro type is a union with "null"
 * @param defaultValue the Avro default (already converted to the field's Java type), or null
 * @param hasDefault   whether the schema declares a default (a default may itself be null)
 */
public record SchemaField(String name, FieldType type, boolean nullable, Object defaultValue, boolean hasDefault) {

    /** A row may leave this field out: it is nullable or has a default. */
    public boolean optional() {
        return nullable || hasDefault;
    }
}
