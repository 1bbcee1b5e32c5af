package dev.intake.core;

/**
 * A failure a caller caused and can fix. Its message is shown to the caller as is, so it must name
 * the problem and never carry internal detail.
 */
public class IntakeException extends RuntimeException {
    private final ErrorKind kind;

    public IntakeException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static IntakeException invalid(String message) {
        return new IntakeException(ErrorKind.INVALID_INPUT, message);
    }

    public static IntakeException notFound(String message) {
        return new IntakeException(ErrorKind.NOT_FOUND, message);
    }
}
