package dev.intake.local.asl;

/** A state machine definition uses something invalid, or something this local executor does not implement. */
public class AslValidationException extends RuntimeException {
    public AslValidationException(String message) {
        super(message);
    }

    public AslValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
