package dev.intake.infra;

import dev.intake.workflow.WorkflowTasks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The import-job state machine, from the same ASL file the local executor runs. Its placeholders
 * are filled by CloudFormation (DefinitionSubstitutions): each {@code ${<Task>FunctionArn}} with the
 * ARN of that task's {@code live} alias.
 */
final class ImportStateMachine extends Construct {
    final StateMachine stateMachine;
    final Alarm failedAlarm;

    ImportStateMachine(Construct scope, String id, Path definition, Map<WorkflowTasks.Task, IntakeFunction> tasks) {
        this(scope, id, definition, tasks, "the Intake import-job state machine",
                "An import-job execution failed: a job ended FAILED, or could not even be marked so");
    }

    /**
     * @param purpose     what the machine is, for its role's description
     * @param failedAlarm what a failed execution means, for the alarm's description
     */
    ImportStateMachine(Construct scope, String id, Path definition, Map<WorkflowTasks.Task, IntakeFunction> tasks,
                       String purpose, String failedAlarmDescription) {
        super(scope, id);
        Map<String, String> substitutions = new LinkedHashMap<>();
        tasks.forEach((task, fn) -> substitutions.put(task.substitutionKey(), fn.live.getFunctionArn()));

        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description("Runs " + purpose)
                .build();
        // Exactly the task aliases: no other function, no other version.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(tasks.values().stream().map(fn -> fn.live.getFunctionArn()).toList())
                .build());

        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(definition.toString()))
                .definitionSubstitutions(substitutions)
                .role(role)
                // Errors only, without execution data: a failure's input and output can hold row values
                // (failure reasons quote them), which must not stay in CloudWatch for months. Each event
                // still names its execution, and executions are named after their job.
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ERROR).includeExecutionData(false).build())
                .tracingEnabled(true)
                .build();
        Nag.suppress(stateMachine, "SF1", "Logs ERROR events without execution data on purpose: ALL with data would keep"
                + " the payloads, whose failure reasons quote row values, in CloudWatch for months. Each error event names"
                + " its execution, which is named after its job; X-Ray traces every execution, and the job's status and"
                + " failure reason are in the control table");
        failedAlarm = Alarm.Builder.create(this, "FailedExecutionsAlarm")
                .alarmDescription(failedAlarmDescription)
                .metric(stateMachine.metricFailed(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Sum").build()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        Nag.suppress(role, "IAM5", "CloudWatch Logs log-delivery actions (the state machine's error events to its log"
                + " group) and X-Ray trace submission support no resource-level permissions", List.of("Resource::*"));
    }
}
