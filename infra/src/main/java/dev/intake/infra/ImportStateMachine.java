package dev.intake.infra;

import dev.intake.workflow.WorkflowTasks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.intake.core.ChunkManifest;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The import-job state machine, from the same ASL file the local executor runs. Its placeholders
 * are filled by CloudFormation (DefinitionSubstitutions): each {@code ${<Task>FunctionArn}} with the
 * ARN of that task's {@code live} alias, and the import's {@code ${IngestConcurrency}} (its Distributed
 * Maps' MaxConcurrency) from the context.
 */
final class ImportStateMachine extends Construct {
    final StateMachine stateMachine;
    final Alarm failedAlarm;
    private final Role role;

    /** The Distributed Maps' MaxConcurrency placeholder, and the context value that sets it. */
    static final String INGEST_CONCURRENCY = "IngestConcurrency";
    static final String INGEST_CONCURRENCY_CONTEXT = "ingestConcurrency";
    /**
     * Chunks an import ingests at once unless the context says otherwise: each is a Lambda invocation
     * writing to DynamoDB on demand, so this many keeps a large import well inside the account's default
     * Lambda concurrency (1,000) and the table's on-demand ramp while still spreading a large import.
     */
    static final int DEFAULT_INGEST_CONCURRENCY = 10;
    /** Step Functions runs at most 10,000 child executions of a Distributed Map at once. */
    static final int MAX_INGEST_CONCURRENCY = 10_000;

    ImportStateMachine(Construct scope, String id, Path definition, Map<WorkflowTasks.Task, IntakeFunction> tasks) {
        this(scope, id, definition, tasks, "the Intake import-job state machine",
                "An import-job execution failed: a job ended FAILED, or could not even be marked so");
    }

    /**
     * The import state machine: the tasks, and what its Distributed Maps need. They read the chunk
     * manifests Plan and Reconcile write ({@code manifests/} of the results bucket) and run each chunk
     * as a child execution of this same machine, which the machine's role must be allowed to start,
     * describe and stop; its Map Runs it may describe, list and update (as the console and a redrive
     * do). These statements name the machine, so they go into a policy of their own, made after it
     * (in the role's default policy they would make the machine depend on its own ARN).
     */
    static ImportStateMachine imports(Construct scope, String id, Path definition,
                                      Map<WorkflowTasks.Task, IntakeFunction> tasks, Bucket results, int ingestConcurrency) {
        ImportStateMachine machine = new ImportStateMachine(scope, id, definition, tasks, "the Intake import-job state machine",
                "An import-job execution failed: a job ended FAILED, or could not even be marked so",
                Map.of(INGEST_CONCURRENCY, Integer.toString(ingestConcurrency)));
        machine.allowDistributedMaps(results);
        return machine;
    }

    /** The context's ingestConcurrency (1 to 10,000), or the default. */
    static int ingestConcurrency(software.constructs.Node node) {
        Object value = node.tryGetContext(INGEST_CONCURRENCY_CONTEXT); // cdk synth -c ingestConcurrency=...
        if (value == null) {
            return DEFAULT_INGEST_CONCURRENCY;
        }
        int concurrency;
        try {
            concurrency = Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Context " + INGEST_CONCURRENCY_CONTEXT + " '" + value
                    + "' is not a whole number (chunks ingested at once, 1 to " + MAX_INGEST_CONCURRENCY + ")", e);
        }
        if (concurrency < 1 || concurrency > MAX_INGEST_CONCURRENCY) {
            throw new IllegalArgumentException("Context " + INGEST_CONCURRENCY_CONTEXT + " " + concurrency
                    + " is out of range: chunks ingested at once are 1 to " + MAX_INGEST_CONCURRENCY
                    + " (Step Functions' limit on a Distributed Map's child executions at once)");
        }
        return concurrency;
    }

    private void allowDistributedMaps(Bucket results) {
        Stack stack = Stack.of(this);
        String name = stateMachine.getStateMachineName();
        String children = stack.formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(name + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        String executions = stack.formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(name + ":*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        String mapRuns = stack.formatArn(ArnComponents.builder().service("states").resource("mapRun")
                .resourceName(name + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        Policy policy = Policy.Builder.create(this, "DistributedMapPolicy")
                .roles(List.of(role))
                .statements(List.of(
                        PolicyStatement.Builder.create().actions(List.of("states:StartExecution"))
                                .resources(List.of(stateMachine.getStateMachineArn())).build(),
                        PolicyStatement.Builder.create().actions(List.of("states:DescribeExecution", "states:StopExecution"))
                                .resources(List.of(children)).build(),
                        PolicyStatement.Builder.create().actions(List.of("states:ListMapRuns"))
                                .resources(List.of(executions)).build(),
                        PolicyStatement.Builder.create().actions(List.of("states:DescribeMapRun", "states:UpdateMapRun"))
                                .resources(List.of(mapRuns)).build(),
                        PolicyStatement.Builder.create().actions(List.of("s3:GetObject"))
                                .resources(List.of(results.arnForObjects(ChunkManifest.PREFIX + "*"))).build()))
                .build();
        String machine = "<" + stack.getLogicalId((CfnElement) stateMachine.getNode().getDefaultChild()) + ".Name>";
        String prefix = "Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:";
        Nag.suppress(policy, "IAM5", "A Distributed Map's child executions and Map Runs are named by Step Functions at"
                + " run time, under this state machine's name: the role may describe and stop its own children"
                + " (execution:<machine>/*), list the Map Runs of its own executions (execution:<machine>:*) and describe"
                + " or update its own Map Runs (mapRun:<machine>/*); it reads only the chunk manifests (manifests/*) of"
                + " the results bucket, which Plan and Reconcile name per job", List.of(
                prefix + "execution:" + machine + "/*", prefix + "execution:" + machine + ":*",
                prefix + "mapRun:" + machine + "/*",
                "Resource::<" + stack.getLogicalId((CfnElement) results.getNode().getDefaultChild()) + ".Arn>/"
                        + ChunkManifest.PREFIX + "*"));
    }

    /**
     * @param purpose     what the machine is, for its role's description
     * @param failedAlarm what a failed execution means, for the alarm's description
     */
    ImportStateMachine(Construct scope, String id, Path definition, Map<WorkflowTasks.Task, IntakeFunction> tasks,
                       String purpose, String failedAlarmDescription) {
        this(scope, id, definition, tasks, purpose, failedAlarmDescription, Map.of());
    }

    /** @param settings substitutions besides the tasks' ARNs */
    private ImportStateMachine(Construct scope, String id, Path definition, Map<WorkflowTasks.Task, IntakeFunction> tasks,
                               String purpose, String failedAlarmDescription, Map<String, String> settings) {
        super(scope, id);
        Map<String, String> substitutions = new LinkedHashMap<>();
        tasks.forEach((task, fn) -> substitutions.put(task.substitutionKey(), fn.live.getFunctionArn()));
        substitutions.putAll(settings);

        role = Role.Builder.create(this, "Role")
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
