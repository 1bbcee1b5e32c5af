package dev.intake.adapters.sfn;

import dev.intake.core.ports.WorkflowStarter;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** Starts the import state machine with the job's name as the execution name: one execution per job. */
public final class StepFunctionsStarter implements WorkflowStarter {
    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    public static String input(String jobName) {
        return "{\"jobName\":\"" + jobName + "\"}";
    }

    @Override
    public void start(String jobName) {
        try {
            sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(jobName).input(input(jobName)));
        } catch (ExecutionAlreadyExistsException e) {
            // Started before (a retried request or the sweeper): exactly one execution per job.
        }
    }
}
