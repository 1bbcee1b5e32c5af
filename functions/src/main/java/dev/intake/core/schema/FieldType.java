package dev.intake.core.schema;

/** The Avro primitive types a dataset field may have. */
public enum FieldType {
    STRING("string"),
    INT("int"),
    LONG("long"),
    FLOAT("float"),
    DOUBLE("double"),
    BOOLEAN("boolean");

    private final String avroName;

    FieldType(String avroName) {
        this.avroName = avroName;
    }

    public String avroName() {
        return avroName;
    }

    public boolean isNumeric() {
        return this == INT || this == LONG || this == FLOAT || this == DOUBLE;
    }
}
