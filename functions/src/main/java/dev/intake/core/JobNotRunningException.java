package dev.intake.core;

/**
 * A write of a job that is no longer IN_PROGRESS (a chunk still running after its job failed or
 * ended): it is refused, so a finished job never changes data again. Final: not retried.
 */
public class JobNotRunningException extends ImportFailedException {
    public JobNotRunningException(String jobName) {
        super("Import job '" + jobName + "' is no longer in progress; its remaining writes were refused");
    }
}
