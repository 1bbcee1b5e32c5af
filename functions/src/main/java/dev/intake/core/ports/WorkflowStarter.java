package dev.intake.core.ports;

import java.util.Optional;

/**
 * Runs the state machine for jobs. A job's executions are named {@code <job>.<attempt>} (job names
 * have no dots), so every attempt has a name of its own and the latest one can be found by name.
 */
public interface WorkflowStarter {
    /** How an execution stands, as Step Functions reports it. */
    enum ExecutionStatus {
        RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED;

        /** Whether the execution ended in a way that did not run the job's own end steps. */
        public boolean abnormal() {
            return this == FAILED || this == TIMED_OUT || this == ABORTED;
        }
    }

    record Execution(String name, ExecutionStatus status) {
    }

    /**
     * Makes sure an execution of the job is running: unless its latest one still runs, starts the
     * next attempt. Idempotent: concurrent callers start the same attempt, which runs once.
     */
    void start(String jobName);

    /** The job's latest execution, or empty if none was started. */
    Optional<Execution> latest(String jobName);

    /**
     * Stops a running execution (Step Functions' StopExecution): it ends ABORTED, and its end is
     * reported like any other. An execution that has ended already, or does not exist, is left as it is.
     *
     * @param executionName as {@link #latest} names it
     * @param cause         why, kept with the execution
     */
    void stop(String executionName, String cause);

    /** For a function that must not start executions: every call fails with the reason. */
    static WorkflowStarter unavailable(String why) {
        return new WorkflowStarter() {
            @Override
            public void start(String jobName) {
                throw new IllegalStateException(why);
            }

            @Override
            public Optional<Execution> latest(String jobName) {
                throw new IllegalStateException(why);
            }

            @Override
            public void stop(String executionName, String cause) {
                throw new IllegalStateException(why);
            }
        };
    }

    /** Runs nothing and only tells {@code started} (benchmarks and tests that drive the steps themselves). */
    static WorkflowStarter manual(java.util.function.Consumer<String> started) {
        return new WorkflowStarter() {
            @Override
            public void start(String jobName) {
                started.accept(jobName);
            }

            @Override
            public Optional<Execution> latest(String jobName) {
                return Optional.empty();
            }

            @Override
            public void stop(String executionName, String cause) {
                // runs nothing, so nothing to stop
            }
        };
    }

    static String executionName(String jobName, int attempt) {
        return jobName + "." + attempt;
    }

    /** The job an execution name belongs to. */
    static String jobOf(String executionName) {
        int dot = executionName.lastIndexOf('.');
        return dot < 0 ? executionName : executionName.substring(0, dot);
    }

    /** The attempt number in an execution name; 0 if it has none. */
    static int attemptOf(String executionName) {
        int dot = executionName.lastIndexOf('.');
        try {
            return dot < 0 ? 0 : Integer.parseInt(executionName.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
