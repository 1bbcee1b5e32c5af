package dev.intake.adapters.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.core.DataSource;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.SourceSchedules;
import java.util.Map;
import java.util.Optional;
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

/**
 * The data sources' schedules in EventBridge Scheduler: one schedule per source in Intake's schedule
 * group, named after the source, invoking the RunScheduledSource function (as the scheduler's role)
 * with the source's name and the time the schedule was due. A disabled source's schedule is DISABLED;
 * a source without a schedule has none.
 */
public final class EventBridgeSourceSchedules implements SourceSchedules {
    /** A retried invocation starts no second job (the job is named after the scheduled time). */
    static final int MAX_RETRY_ATTEMPTS = 20;
    /** Older invocations are dropped: the next scheduled run imports the folder anyway. */
    static final int MAX_EVENT_AGE_SECONDS = 2 * 60 * 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the schedules go and what they invoke.
     *
     * @param group     the schedule group (created by the stack)
     * @param targetArn the RunScheduledSource function's ARN
     * @param roleArn   the role Scheduler invokes it as
     */
    public record Settings(String group, String targetArn, String roleArn) {
        public static final String GROUP_VARIABLE = "SOURCE_SCHEDULE_GROUP";
        public static final String TARGET_VARIABLE = "RUN_SCHEDULED_SOURCE_ARN";
        public static final String ROLE_VARIABLE = "SOURCE_SCHEDULER_ROLE_ARN";

        /** Present only where the stack gave the function all three (the functions that manage schedules). */
        public static Optional<Settings> fromEnvironment(Map<String, String> env) {
            String group = env.get(GROUP_VARIABLE);
            if (group == null) {
                return Optional.empty();
            }
            String target = env.get(TARGET_VARIABLE);
            String role = env.get(ROLE_VARIABLE);
            if (target == null || role == null) {
                throw new IllegalStateException(GROUP_VARIABLE + " is set but " + TARGET_VARIABLE + " or " + ROLE_VARIABLE
                        + " is not");
            }
            return Optional.of(new Settings(group, target, role));
        }
    }

    private final SchedulerClient scheduler;
    private final Settings settings;

    public EventBridgeSourceSchedules(SchedulerClient scheduler, Settings settings) {
        this.scheduler = scheduler;
        this.settings = settings;
    }

    /** With its own client (the Lambda wiring: whoever calls this loads the Scheduler client, no one else). */
    public static EventBridgeSourceSchedules create(software.amazon.awssdk.http.SdkHttpClient http, Settings settings) {
        return new EventBridgeSourceSchedules(SchedulerClient.builder().httpClient(http).build(), settings);
    }

    @Override
    public void put(DataSource source) {
        if (source.schedule() == null) {
            delete(source.name());
            return;
        }
        try {
            // Create, or update the one that exists; one deleted in between is created again.
            for (int attempt = 1; ; attempt++) {
                try {
                    scheduler.createSchedule(createRequest(source));
                    return;
                } catch (ConflictException exists) {
                    try {
                        scheduler.updateSchedule(updateRequest(source));
                        return;
                    } catch (ResourceNotFoundException gone) {
                        if (attempt == 3) {
                            throw gone;
                        }
                    }
                }
            }
        } catch (ValidationException e) {
            throw IntakeException.invalid("EventBridge Scheduler refused the schedule of data source '" + source.name()
                    + "': " + e.awsErrorDetails().errorMessage());
        }
    }

    @Override
    public void delete(String sourceName) {
        try {
            scheduler.deleteSchedule(DeleteScheduleRequest.builder().groupName(settings.group()).name(sourceName).build());
        } catch (ResourceNotFoundException e) {
            // none: deleted already, or the source never had a schedule
        }
    }

    CreateScheduleRequest createRequest(DataSource source) {
        return CreateScheduleRequest.builder()
                .groupName(settings.group())
                .name(source.name())
                .description(description(source))
                .scheduleExpression(source.schedule().expression().text())
                .scheduleExpressionTimezone(source.schedule().timeZone().getId())
                .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                .state(state(source))
                .target(target(source))
                .build();
    }

    UpdateScheduleRequest updateRequest(DataSource source) {
        // UpdateSchedule replaces every setting: the same as a create.
        return UpdateScheduleRequest.builder()
                .groupName(settings.group())
                .name(source.name())
                .description(description(source))
                .scheduleExpression(source.schedule().expression().text())
                .scheduleExpressionTimezone(source.schedule().timeZone().getId())
                .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                .state(state(source))
                .target(target(source))
                .build();
    }

    private static ScheduleState state(DataSource source) {
        return source.enabled() ? ScheduleState.ENABLED : ScheduleState.DISABLED;
    }

    private static String description(DataSource source) {
        return "Runs Intake data source " + source.name();
    }

    private Target target(DataSource source) {
        return Target.builder()
                .arn(settings.targetArn())
                .roleArn(settings.roleArn())
                .input(input(source.name()))
                .retryPolicy(RetryPolicy.builder().maximumRetryAttempts(MAX_RETRY_ATTEMPTS)
                        .maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS).build())
                .build();
    }

    /** The scheduled run's input; Scheduler puts the time the invocation was due in place of its context attribute. */
    static String input(String sourceName) {
        ObjectNode input = JSON.createObjectNode();
        input.put(SOURCE_FIELD, sourceName);
        input.put(TIME_FIELD, "<aws.scheduler.scheduled-time>");
        return input.toString();
    }
}
