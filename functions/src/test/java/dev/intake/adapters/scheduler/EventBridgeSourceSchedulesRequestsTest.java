package dev.intake.adapters.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import dev.intake.core.DataLocation;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.DeleteScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.RetryPolicy;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Target;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.ValidationException;

/** The exact EventBridge Scheduler requests: one schedule per source, created or updated, deleted with it. */
class EventBridgeSourceSchedulesRequestsTest {
    private static final EventBridgeSourceSchedules.Settings SETTINGS = new EventBridgeSourceSchedules.Settings(
            "intake-sources", "arn:aws:lambda:eu-west-1:123456789012:function:RunScheduledSource",
            "arn:aws:iam::123456789012:role/intake-scheduler");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final SchedulerClient scheduler = mock(SchedulerClient.class);
    private final EventBridgeSourceSchedules schedules = new EventBridgeSourceSchedules(scheduler, SETTINGS);

    private static DataSource source(boolean enabled, SourceSchedule schedule) {
        return new DataSource("nightly", DataLocation.parse("s3://landing/users/"), "users", ImportMode.FULL, schedule,
                enabled, null, null, Map.of(), T0, T0, 1);
    }

    private List<Object> sent() {
        return mockingDetails(scheduler).getInvocations().stream().map(i -> i.getArgument(0)).toList();
    }

    private static final Target TARGET = Target.builder().arn(SETTINGS.targetArn()).roleArn(SETTINGS.roleArn())
            .input("{\"dataSourceName\":\"nightly\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}")
            .retryPolicy(RetryPolicy.builder().maximumRetryAttempts(20).maximumEventAgeInSeconds(7200).build()).build();

    private static CreateScheduleRequest create(ScheduleState state) {
        return CreateScheduleRequest.builder().groupName("intake-sources").name("nightly")
                .description("Runs Intake data source nightly").scheduleExpression("cron(0 2 * * ? *)")
                .scheduleExpressionTimezone("Europe/Berlin")
                .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                .state(state).target(TARGET).build();
    }

    private static UpdateScheduleRequest update(ScheduleState state) {
        return UpdateScheduleRequest.builder().groupName("intake-sources").name("nightly")
                .description("Runs Intake data source nightly").scheduleExpression("cron(0 2 * * ? *)")
                .scheduleExpressionTimezone("Europe/Berlin")
                .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                .state(state).target(TARGET).build();
    }

    private static final SourceSchedule NIGHTLY = SourceSchedule.of("cron(0 2 * * ? *)", "Europe/Berlin");

    @Test
    void aNewScheduleIsCreatedInTheGroupInvokingTheTaskWithTheSourceAndTheScheduledTime() {
        schedules.put(source(true, NIGHTLY));
        assertThat(sent()).containsExactly(create(ScheduleState.ENABLED));
    }

    @Test
    void anExistingOneIsUpdatedAndADisabledSourcesScheduleIsDisabled() {
        when(scheduler.createSchedule(any(CreateScheduleRequest.class)))
                .thenThrow(ConflictException.builder().message("exists").build());
        schedules.put(source(false, NIGHTLY));
        assertThat(sent()).containsExactly(create(ScheduleState.DISABLED), update(ScheduleState.DISABLED));
    }

    @Test
    void oneDeletedBetweenCreateAndUpdateIsCreatedAgain() {
        when(scheduler.createSchedule(any(CreateScheduleRequest.class)))
                .thenThrow(ConflictException.builder().message("exists").build())
                .thenReturn(null);
        when(scheduler.updateSchedule(any(UpdateScheduleRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());
        schedules.put(source(true, NIGHTLY));
        assertThat(sent()).containsExactly(create(ScheduleState.ENABLED), update(ScheduleState.ENABLED),
                create(ScheduleState.ENABLED));
    }

    @Test
    void aSourceWithoutScheduleHasItsScheduleDeletedAndNoneIsFine() {
        when(scheduler.deleteSchedule(any(DeleteScheduleRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("none").build());
        schedules.put(source(true, null));
        schedules.delete("nightly");
        DeleteScheduleRequest delete = DeleteScheduleRequest.builder().groupName("intake-sources").name("nightly").build();
        assertThat(sent()).containsExactly(delete, delete);
    }

    @Test
    void whatSchedulerRefusesIsTheCallersInvalidInput() {
        when(scheduler.createSchedule(any(CreateScheduleRequest.class))).thenThrow(ValidationException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorMessage("Invalid Schedule Expression").build()).build());
        assertThatThrownBy(() -> schedules.put(source(true, NIGHTLY)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessage("EventBridge Scheduler refused the schedule of data source 'nightly': Invalid Schedule Expression");
    }

    @Test
    void theSettingsComeFromTheEnvironmentOfTheFunctionsThatManageSchedules() {
        assertThat(EventBridgeSourceSchedules.Settings.fromEnvironment(Map.of())).isEmpty();
        assertThat(EventBridgeSourceSchedules.Settings.fromEnvironment(Map.of("SOURCE_SCHEDULE_GROUP", "intake-sources",
                "RUN_SCHEDULED_SOURCE_ARN", SETTINGS.targetArn(), "SOURCE_SCHEDULER_ROLE_ARN", SETTINGS.roleArn())))
                .contains(SETTINGS);
        assertThatThrownBy(() -> EventBridgeSourceSchedules.Settings.fromEnvironment(Map.of("SOURCE_SCHEDULE_GROUP", "g")))
                .isInstanceOf(IllegalStateException.class);
    }
}
