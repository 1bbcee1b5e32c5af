package dev.intake.core.schema;

/** A row that does not fit the schema; the message names the field and the problem. */
public class InvalidRowException extends RuntimeException {
    public InvalidRowException(String message) {
        super(message, null, false, false);
    }
}
