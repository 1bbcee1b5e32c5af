package dev.intake.core.ports;

/** Starts the state machine for a job. Idempotent: the execution is named after the job. */
public interface WorkflowStarter {
    void start(String jobName);
}
