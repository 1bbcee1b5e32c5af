package dev.intake.adapters.sfn;

import dev.intake.core.ports.WorkflowStarter;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * Starts the import state machine, one execution per attempt named {@code <job>.<attempt>}. The
 * latest attempt is found by describing attempts 1, 2, ... by name (a job seldom has more than one).
 */
public final class StepFunctionsStarter implements WorkflowStarter {
    /** Attempts looked for; a job is failed long before it could need more. */
    static final int MAX_ATTEMPTS = 50;

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final UnaryOperator<String> input;

    /**
     * @param input the execution input for a subject (a job's name, or a dataset's for deletions);
     *              names are letters, digits, '-' and '_', so they need no JSON escaping
     */
    public StepFunctionsStarter(SfnClient sfn, String stateMachineArn, UnaryOperator<String> input) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.input = input;
    }

    /** The import state machine's input. */
    public static String jobInput(String jobName) {
        return "{\"jobName\":\"" + jobName + "\"}";
    }

    /** The export state machine's input: a key of its own, so that its execution's end is told from an import's. */
    public static String exportInput(String exportJobName) {
        return "{\"exportJobName\":\"" + exportJobName + "\"}";
    }

    /** The deletion state machine's input. */
    public static String datasetInput(String datasetName) {
        return "{\"dataset\":\"" + datasetName + "\"}";
    }

    @Override
    public void start(String jobName) {
        Optional<Execution> latest = latest(jobName);
        if (latest.isPresent() && latest.get().status() == ExecutionStatus.RUNNING) {
            return;
        }
        int attempt = latest.map(e -> WorkflowStarter.attemptOf(e.name()) + 1).orElse(1);
        if (attempt > MAX_ATTEMPTS) {
            throw new IllegalStateException("job " + jobName + " has had " + MAX_ATTEMPTS + " executions already");
        }
        try {
            // Same name and input as a running execution: Step Functions returns that one.
            sfn.startExecution(r -> r.stateMachineArn(stateMachineArn)
                    .name(WorkflowStarter.executionName(jobName, attempt)).input(input.apply(jobName)));
        } catch (ExecutionAlreadyExistsException e) {
            // Another caller started this attempt and it has ended since: nothing left to start.
        }
    }

    @Override
    public Optional<Execution> latest(String jobName) {
        Execution latest = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String name = WorkflowStarter.executionName(jobName, attempt);
            DescribeExecutionResponse execution;
            try {
                execution = sfn.describeExecution(r -> r.executionArn(executionArn(name)));
            } catch (ExecutionDoesNotExistException e) {
                break;
            }
            latest = new Execution(name, status(execution.statusAsString()));
        }
        return Optional.ofNullable(latest);
    }

    /** The error a stopped execution records (Step Functions' StopExecution {@code error}). */
    public static final String STOPPED_ERROR = "Intake.JobStopped";

    @Override
    public void stop(String executionName, String cause) {
        try {
            sfn.stopExecution(r -> r.executionArn(executionArn(executionName)).error(STOPPED_ERROR)
                    .cause(cause.length() > 32_768 ? cause.substring(0, 32_768) : cause));
        } catch (ExecutionDoesNotExistException e) {
            // nothing runs under that name: nothing to stop
        }
    }

    /** A redrive pending, or a status this code does not know, is treated as still running: never failed on. */
    static ExecutionStatus status(String status) {
        for (ExecutionStatus known : ExecutionStatus.values()) {
            if (known.name().equals(status)) {
                return known;
            }
        }
        return ExecutionStatus.RUNNING;
    }

    /** arn:aws:states:region:account:stateMachine:Name -> arn:aws:states:region:account:execution:Name:exec */
    String executionArn(String executionName) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + executionName;
    }
}
