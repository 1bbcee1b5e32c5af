package dev.intake.infra;

import dev.intake.adapters.events.EventBridgeJobEvents;
import dev.intake.app.Permission;
import dev.intake.workflow.WorkflowTasks;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.FilterRule;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Import jobs' state-change events: the control table's stream (the outbox every status write
 * lands in) read by the PublishJobEvents function, which puts "Import Job State Change" events on
 * the account's default bus or, with the context {@value #BUS_CONTEXT}, on a bus of that name that
 * the stack makes. Only job items invoke the function (a filter on the keys). Records it could not
 * publish after its retries are noted in the failed-records queue (where in the stream they are, for
 * 24 hours), and the alarm says so.
 */
final class JobEvents extends Construct {
    static final String BUS_CONTEXT = "eventBusName";
    /** EventBridge's rule for the name of a bus an account makes. */
    private static final Pattern BUS_NAME = Pattern.compile("[.\\-_A-Za-z0-9]+");
    /** Stream records read per invocation; a job's few writes make few records, so batches stay small anyway. */
    static final int BATCH_SIZE = 100;
    /** Tries of a batch after the first (halved on each failure) before its records go to the failed-records queue. */
    static final int RETRY_ATTEMPTS = 10;

    final IntakeFunction function;
    final String busName;
    final Queue failedRecords;
    final Alarm failedRecordsAlarm;

    JobEvents(Construct scope, String id, LambdaJars jar, Table control, Map<String, String> environment, Grants grants) {
        super(scope, id);
        Object named = getNode().tryGetContext(BUS_CONTEXT); // cdk synth -c eventBusName=intake-events
        String busArn;
        if (named == null || named.toString().isBlank() || named.toString().equals("default")) {
            busName = "default";
            busArn = Stack.of(this).formatArn(ArnComponents.builder().service("events").resource("event-bus")
                    .resourceName("default").build());
        } else {
            busName = checkedBusName(named.toString());
            EventBus bus = EventBus.Builder.create(this, "Bus").eventBusName(busName)
                    .description("Intake's import-job state-change events").build();
            busArn = bus.getEventBusArn();
        }

        WorkflowTasks.Task task = WorkflowTasks.PUBLISH_JOB_EVENTS;
        environment.put(EventBridgeJobEvents.BUS_VARIABLE, busName);
        function = new IntakeFunction(this, task.name(), jar, task.lambdaHandler(),
                "Intake: publishes import jobs' state changes", IntakeFunction.Size.BOOKKEEPING, environment);
        grants.apply(task.permissions(), function, null, null);
        if (task.permissions().contains(Permission.PUBLISH_JOB_EVENTS)) {
            function.role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("events:PutEvents"))
                    .resources(List.of(busArn)).build());
        }

        failedRecords = Queue.Builder.create(this, "FailedRecords")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Nag.suppress(failedRecords, "SQS3", "This is the on-failure destination of the job-events stream mapping:"
                + " it holds where in the stream the records are that could not be published");
        // TRIM_HORIZON: the mapping starts at the oldest record the stream keeps, so the changes made
        // while it was being created (or replaced) are published too; LATEST would drop them. At the
        // first deployment the stream is new and holds nothing older.
        function.live.addEventSourceMapping("JobItems", EventSourceMappingOptions.builder()
                .eventSourceArn(control.getTableStreamArn())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(BATCH_SIZE)
                .bisectBatchOnError(true)
                .retryAttempts(RETRY_ATTEMPTS)
                .reportBatchItemFailures(true)
                .onFailure(new SqsDlq(failedRecords))
                .filters(List.of(FilterCriteria.filter(Map.of("dynamodb", Map.of("Keys", jobKeys())))))
                .build());
        // What the mapping's poller does as the function's role, on this stream only (CDK's
        // grantStreamRead would also allow dynamodb:ListStreams on every table).
        function.role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams"))
                .resources(List.of(control.getTableStreamArn())).build());

        failedRecordsAlarm = Alarm.Builder.create(this, "FailedRecordsAlarm")
                .alarmDescription("Import-job state changes could not be published to EventBridge after "
                        + RETRY_ATTEMPTS + " retries: their stream positions are in the failed-records queue")
                .metric(failedRecords.metricApproximateNumberOfMessagesVisible())
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    /** A job item's keys, as the filter matches them (in a fixed order, so every synth is the same). */
    private static Map<String, Object> jobKeys() {
        Map<String, Object> keys = new java.util.LinkedHashMap<>();
        keys.put("pk", Map.of("S", FilterRule.beginsWith("JOB#")));
        keys.put("sk", Map.of("S", FilterRule.isEqual("JOB")));
        return keys;
    }

    /** The context's bus name, or an error that says what a bus name may be. */
    static String checkedBusName(String name) {
        if (name.length() > 256 || !BUS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Context " + BUS_CONTEXT + " '" + name + "' is not an EventBridge bus"
                    + " name: 1 to 256 letters, digits, '.', '-' or '_' (or 'default' for the account's default bus)");
        }
        return name;
    }
}
