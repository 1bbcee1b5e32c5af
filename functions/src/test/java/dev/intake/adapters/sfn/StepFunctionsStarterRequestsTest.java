package dev.intake.adapters.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.ports.WorkflowStarter.ExecutionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

/** The exact Step Functions requests: executions named per attempt, found again by name. */
class StepFunctionsStarterRequestsTest {
    private static final String MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:IntakeImport";

    private final SfnClient sfn = mock(SfnClient.class);
    private final StepFunctionsStarter starter = new StepFunctionsStarter(sfn, MACHINE, StepFunctionsStarter::jobInput);
    private final List<String> described = new ArrayList<>();

    /** Executions that exist, by name, with their status; any other name does not exist. */
    @SuppressWarnings("unchecked")
    private void existing(Map<String, String> statusByName) {
        when(sfn.describeExecution(any(Consumer.class))).thenAnswer(call -> {
            DescribeExecutionRequest.Builder builder = DescribeExecutionRequest.builder();
            ((Consumer<DescribeExecutionRequest.Builder>) call.getArgument(0)).accept(builder);
            String arn = builder.build().executionArn();
            described.add(arn);
            String name = arn.substring(arn.lastIndexOf(':') + 1);
            if (!statusByName.containsKey(name)) {
                throw ExecutionDoesNotExistException.builder().message("Execution Does Not Exist").build();
            }
            return DescribeExecutionResponse.builder().name(name).status(statusByName.get(name)).build();
        });
    }

    @SuppressWarnings("unchecked")
    private StartExecutionRequest started() {
        ArgumentCaptor<Consumer<StartExecutionRequest.Builder>> captor = ArgumentCaptor.forClass(Consumer.class);
        verify(sfn).startExecution(captor.capture());
        StartExecutionRequest.Builder builder = StartExecutionRequest.builder();
        captor.getValue().accept(builder);
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private StopExecutionRequest stopRequest() {
        ArgumentCaptor<Consumer<StopExecutionRequest.Builder>> captor = ArgumentCaptor.forClass(Consumer.class);
        verify(sfn).stopExecution(captor.capture());
        StopExecutionRequest.Builder builder = StopExecutionRequest.builder();
        captor.getValue().accept(builder);
        return builder.build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExportIsStartedOnTheExportMachineAsItsJobsFirstAttempt() {
        String exportMachine = "arn:aws:states:eu-west-1:123456789012:stateMachine:IntakeExport";
        StepFunctionsStarter exports = new StepFunctionsStarter(sfn, exportMachine, StepFunctionsStarter::exportInput);
        existing(Map.of());
        when(sfn.startExecution(any(Consumer.class))).thenReturn(StartExecutionResponse.builder().build());

        exports.start("users-export");

        assertThat(described).containsExactly("arn:aws:states:eu-west-1:123456789012:execution:IntakeExport:users-export.1");
        assertThat(started()).isEqualTo(StartExecutionRequest.builder().stateMachineArn(exportMachine)
                .name("users-export.1").input("{\"exportJobName\":\"users-export\"}").build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void stoppingAnExecutionStopsItByItsArnWithTheCause() {
        when(sfn.stopExecution(any(Consumer.class))).thenReturn(StopExecutionResponse.builder().build());

        starter.stop("users-1.2", "Import job users-1 was stopped");

        assertThat(stopRequest()).isEqualTo(StopExecutionRequest.builder()
                .executionArn("arn:aws:states:eu-west-1:123456789012:execution:IntakeImport:users-1.2")
                .error("Intake.JobStopped").cause("Import job users-1 was stopped").build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void stoppingAnExecutionThatDoesNotExistDoesNothing() {
        when(sfn.stopExecution(any(Consumer.class)))
                .thenThrow(ExecutionDoesNotExistException.builder().message("Execution Does Not Exist").build());

        starter.stop("users-1.9", "stopped");

        assertThat(stopRequest().executionArn())
                .isEqualTo("arn:aws:states:eu-west-1:123456789012:execution:IntakeImport:users-1.9");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJobsFirstExecutionIsItsFirstAttempt() {
        existing(Map.of());
        when(sfn.startExecution(any(Consumer.class))).thenReturn(StartExecutionResponse.builder().build());

        starter.start("users-1");

        assertThat(described).containsExactly("arn:aws:states:eu-west-1:123456789012:execution:IntakeImport:users-1.1");
        StartExecutionRequest request = started();
        assertThat(request.stateMachineArn()).isEqualTo(MACHINE);
        assertThat(request.name()).isEqualTo("users-1.1");
        assertThat(request.input()).isEqualTo("{\"jobName\":\"users-1\"}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEndedExecutionIsNeverReusedTheNextAttemptGetsANameOfItsOwn() {
        existing(Map.of("users-1.1", "SUCCEEDED", "users-1.2", "ABORTED"));
        when(sfn.startExecution(any(Consumer.class))).thenReturn(StartExecutionResponse.builder().build());

        starter.start("users-1");

        assertThat(started().name()).isEqualTo("users-1.3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunningExecutionIsLeftAlone() {
        existing(Map.of("users-1.1", "RUNNING"));

        starter.start("users-1");

        verify(sfn, never()).startExecution(any(Consumer.class));
        assertThat(starter.latest("users-1")).contains(new WorkflowStarter.Execution("users-1.1", ExecutionStatus.RUNNING));
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoStartersRacingForTheSameAttemptStartItOnce() {
        existing(Map.of());
        when(sfn.startExecution(any(Consumer.class)))
                .thenThrow(ExecutionAlreadyExistsException.builder().message("Execution Already Exists").build());

        starter.start("users-1"); // the other starter's execution ran and ended in between: nothing to do

        assertThat(started().name()).isEqualTo("users-1.1");
    }

    @Test
    void aPendingRedriveOrUnknownStatusCountsAsRunning() {
        assertThat(StepFunctionsStarter.status("PENDING_REDRIVE")).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(StepFunctionsStarter.status("SOMETHING_NEW")).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(StepFunctionsStarter.status("TIMED_OUT")).isEqualTo(ExecutionStatus.TIMED_OUT);
    }

    @Test
    void executionNamesCarryTheJobAndAttempt() {
        assertThat(WorkflowStarter.executionName("users-1", 7)).isEqualTo("users-1.7");
        assertThat(WorkflowStarter.jobOf("users-1.7")).isEqualTo("users-1");
        assertThat(WorkflowStarter.attemptOf("users-1.7")).isEqualTo(7);
        assertThat(WorkflowStarter.attemptOf("users-1")).isZero();
    }
}
