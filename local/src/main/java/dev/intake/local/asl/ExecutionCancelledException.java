package dev.intake.local.asl;

/** Unwinds a branch whose scope was cancelled: the execution was stopped, or a sibling iteration failed. */
final class ExecutionCancelledException extends RuntimeException {
    ExecutionCancelledException() {
        super(null, null, false, false);
    }
}
