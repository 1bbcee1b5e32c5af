package dev.intake.local.asl;

/** StartExecution with a name already used, by an execution with a different input or one that has closed. */
public class ExecutionAlreadyExistsException extends RuntimeException {
    public ExecutionAlreadyExistsException(String message) {
        super(message);
    }
}
