package dev.intake.local.asl;

import java.util.Objects;

/** A function error as Lambda reports it: the Task state fails with Error = errorType. */
public class FunctionError extends Exception {
    private final String errorType;
    private final String errorMessage;

    public FunctionError(String errorType, String errorMessage) {
        this(errorType, errorMessage, null);
    }

    public FunctionError(String errorType, String errorMessage, Throwable cause) {
        super(errorType + ": " + errorMessage, cause);
        this.errorType = Objects.requireNonNull(errorType, "errorType");
        this.errorMessage = errorMessage;
    }

    public String errorType() {
        return errorType;
    }

    public String errorMessage() {
        return errorMessage;
    }
}
