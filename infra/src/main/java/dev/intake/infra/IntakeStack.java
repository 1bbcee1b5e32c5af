package dev.intake.infra;

import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.core.ImportAccess;
import dev.intake.workflow.ScheduledTasks;
import dev.intake.workflow.WorkflowTasks;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Intake: a function per route ({@link Routes#ALL}) behind the IAM-authorized REST API (the route
 * functions in nested {@link OperationsStack}s, one or more per dialect, to keep each stack within
 * CloudFormation's resource limit),
 * a function per workflow task ({@link WorkflowTasks#ALL}) behind the state machine, the two tables,
 * the landing and results buckets, the landing queue, and the alarms and dashboard. Each function
 * gets only what its route or task declares it touches ({@link dev.intake.app.Permission}, see
 * {@link Grants}), and imports read only the configured sources ({@link ImportSettings}).
 */
public final class IntakeStack extends Stack {
    private final DataTables tables;
    private final Buckets buckets;
    private final ImportSettings imports;
    /** The API operations, by dialect (see OperationsStack). */
    final List<OperationsStack> operationStacks;

    public IntakeStack(Construct scope, String id, StackProps props, IntakeSources sources) {
        this(scope, id, props, sources, Routes.ALL);
    }

    /** With other routes than {@link Routes#ALL}: the tests check that more of them still fit. */
    IntakeStack(Construct scope, String id, StackProps props, IntakeSources sources, List<Route> routes) {
        super(scope, id, props);
        imports = ImportSettings.fromContext(getNode());
        // each function's jar, from what it runs (a route's handler: the API jar; the rest: the workflow jar)
        LambdaJars jar = new LambdaJars(sources, routes);
        tables = new DataTables(this, "Tables");
        buckets = new Buckets(this, "Buckets");
        LandingNotifications landing = new LandingNotifications(this, "LandingNotifications", buckets.landing,
                imports.sources.stream().filter(source -> !source.landing())
                        .map(source -> source.bucketArn(buckets.landing)).distinct().toList());
        suppressBucketNotificationsHandler();
        Grants grants = new Grants(this, tables, buckets, imports);

        Construct taskScope = new Construct(this, "Tasks");
        Map<WorkflowTasks.Task, IntakeFunction> tasks = new LinkedHashMap<>();
        for (WorkflowTasks.Task task : WorkflowTasks.ALL) {
            var fn = new IntakeFunction(taskScope, task.name(), jar, task.lambdaHandler(),
                    "Intake import step " + task.name(),
                    task.longRunning() ? IntakeFunction.Size.INGEST : IntakeFunction.Size.BOOKKEEPING, environment());
            grants.apply(task.permissions(), fn, null, null);
            tasks.put(task, fn);
        }
        ImportStateMachine workflow = ImportStateMachine.imports(this, "ImportJob", sources.stateMachineDefinition(), tasks,
                buckets.results, ImportStateMachine.ingestConcurrency(getNode()));

        // Records are deleted in steps by a state machine of their own (datasets, retired generations).
        WorkflowTasks.Task deleteTask = WorkflowTasks.DELETE_RECORDS;
        var deleteFn = new IntakeFunction(taskScope, deleteTask.name(), jar, deleteTask.lambdaHandler(),
                "Intake deletion step " + deleteTask.name(), IntakeFunction.Size.INGEST, environment());
        grants.apply(deleteTask.permissions(), deleteFn, null, null);
        ImportStateMachine deletion = new ImportStateMachine(this, "DeleteRecords", sources.deleteDefinition(),
                Map.of(deleteTask, deleteFn), "the Intake record-deletion state machine",
                "A record-deletion execution failed: its step kept failing (another starts when it ends)");

        // Dataset exports: a state machine of their own, its task functions from WorkflowTasks.EXPORT.
        Map<WorkflowTasks.Task, IntakeFunction> exportTasks = new LinkedHashMap<>();
        for (WorkflowTasks.Task task : WorkflowTasks.EXPORT) {
            var fn = new IntakeFunction(taskScope, task.name(), jar, task.lambdaHandler(), "Intake export step " + task.name(),
                    task.longRunning() ? IntakeFunction.Size.INGEST : IntakeFunction.Size.BOOKKEEPING, environment());
            grants.apply(task.permissions(), fn, null, null);
            exportTasks.put(task, fn);
        }
        ImportStateMachine exports = new ImportStateMachine(this, "ExportJob", sources.exportDefinition(), exportTasks,
                "the Intake dataset-export state machine",
                "A dataset-export execution failed: a job ended CREATE FAILED, or could not even be marked so");
        grants.exports(exports.stateMachine);

        // The data sources' schedules (EventBridge Scheduler, made at run time) invoke RunScheduledSource.
        Construct scheduleScope = new Construct(this, "Scheduled");
        ScheduledTasks.Task runSource = ScheduledTasks.RUN_SCHEDULED_SOURCE;
        Map<String, String> runSourceEnv = environment();
        starters(runSource.permissions(), runSourceEnv, workflow, deletion);
        var runSourceFn = new IntakeFunction(scheduleScope, runSource.name(), jar, runSource.lambdaHandler(),
                "Intake: a data source's schedule fired", IntakeFunction.Size.BOOKKEEPING, runSourceEnv);
        grants.apply(runSource.permissions(), runSourceFn, workflow.stateMachine, deletion.stateMachine);
        SourceScheduling sourceScheduling = new SourceScheduling(this, "SourceSchedules", runSourceFn);
        grants.sourceScheduling(sourceScheduling);

        // The operations live in nested stacks (see OperationsStack), their methods on this stack's API.
        Monitoring monitoring = new Monitoring(this, "Monitoring");
        Map<String, List<Route>> plan = OperationsStack.plan(routes);
        IntakeApi api = new IntakeApi(this, "Api", plan.values());
        operationStacks = OperationsStack.make(this, plan, (operations, route) -> {
            Map<String, String> env = environment();
            starters(route.permissions(), env, workflow, deletion);
            if (route.permissions().contains(dev.intake.app.Permission.MANAGE_SCHEDULES)) {
                sourceScheduling.environment(env);
            }
            if (route.permissions().contains(dev.intake.app.Permission.START_EXPORTS)) {
                env.put(dev.intake.app.Services.EXPORT_STATE_MACHINE_VARIABLE, exports.stateMachine.getStateMachineArn());
            }
            var fn = new IntakeFunction(operations, functionId(route), jar, route.lambdaHandler(),
                    "Intake " + route.method() + " " + route.path(), IntakeFunction.Size.API, env);
            grants.apply(route.permissions(), fn, workflow.stateMachine, deletion.stateMachine);
            return fn;
        }, monitoring, api);

        // Scheduled functions: ResumeUnfinishedJobs reads the control table and (re)starts executions.
        Map<String, IntakeFunction> scheduled = new LinkedHashMap<>();
        scheduled.put(runSource.name(), runSourceFn);
        for (ScheduledTasks.Task task : ScheduledTasks.ALL) {
            Map<String, String> env = environment();
            starters(task.permissions(), env, workflow, deletion);
            var fn = new IntakeFunction(scheduleScope, task.name(), jar, task.lambdaHandler(),
                    "Intake scheduled " + task.name(), IntakeFunction.Size.BOOKKEEPING, env);
            grants.apply(task.permissions(), fn, workflow.stateMachine, deletion.stateMachine);
            Rule.Builder.create(scheduleScope, task.name() + "Schedule")
                    .description("Runs " + task.name())
                    .schedule(Schedule.expression(task.schedule()))
                    .targets(List.of(new LambdaFunction(fn.live)))
                    .build();
            scheduled.put(task.name(), fn);
        }

        // Every execution's end: fails a job its execution left unfinished (import or export) and starts
        // the dataset's next job.
        WorkflowTasks.Task ended = WorkflowTasks.EXECUTION_ENDED;
        Map<String, String> endedEnv = environment();
        starters(ended.permissions(), endedEnv, workflow, deletion);
        var endedFn = new IntakeFunction(scheduleScope, ended.name(), jar, ended.lambdaHandler(),
                "Intake: an import execution ended", IntakeFunction.Size.BOOKKEEPING, endedEnv);
        grants.apply(ended.permissions(), endedFn, workflow.stateMachine, deletion.stateMachine);
        Rule.Builder.create(scheduleScope, ended.name() + "Rule")
                .description("Every end of an import-job, record-deletion or dataset-export execution")
                .eventPattern(software.amazon.awscdk.services.events.EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(dev.intake.workflow.ExecutionEndedTask.DETAIL_TYPE))
                        .detail(Map.of("stateMachineArn", List.of(workflow.stateMachine.getStateMachineArn(),
                                        deletion.stateMachine.getStateMachineArn(), exports.stateMachine.getStateMachineArn()),
                                "status", List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")))
                        .build())
                .targets(List.of(new LambdaFunction(endedFn.live, software.amazon.awscdk.services.events.targets
                        .LambdaFunctionProps.builder().retryAttempts(8).maxEventAge(Duration.hours(2)).build())))
                .build();
        scheduled.put(ended.name(), endedFn);

        // The landing queue's consumer: S3 arrivals become one INCREMENTAL job per dataset and window.
        WorkflowTasks.Task arrivals = dev.intake.triggers.Triggers.S3_ARRIVALS;
        Map<String, String> arrivalsEnv = environment();
        starters(arrivals.permissions(), arrivalsEnv, workflow, deletion);
        arrivalsEnv.put(dev.intake.core.ArrivalSettings.LANDING_BUCKET_VARIABLE, buckets.landing.getBucketName());
        Object window = getNode().tryGetContext("arrivalWindowSeconds"); // cdk synth -c arrivalWindowSeconds=...
        if (window != null) {
            arrivalsEnv.put(dev.intake.core.ArrivalSettings.WINDOW_VARIABLE, window.toString());
        }
        var arrivalsFn = new IntakeFunction(scheduleScope, arrivals.name(), jar, arrivals.lambdaHandler(),
                "Intake: objects arrived in S3", IntakeFunction.Size.BOOKKEEPING, arrivalsEnv);
        grants.apply(arrivals.permissions(), arrivalsFn, workflow.stateMachine, deletion.stateMachine);
        arrivalsFn.live.addEventSource(software.amazon.awscdk.services.lambda.eventsources.SqsEventSource.Builder
                .create(landing.queue)
                .batchSize(10)
                // gather a few seconds of notifications per invocation; the core batches per dataset anyway
                .maxBatchingWindow(Duration.seconds(1))
                // a message that fails alone is retried alone; the rest of its batch is done
                .reportBatchItemFailures(true)
                .build());
        scheduled.put(arrivals.name(), arrivalsFn);
        // Every job's state changes, from the control table's stream to EventBridge.
        JobEvents jobEvents = new JobEvents(this, "JobEvents", jar, tables.control, environment(), grants);
        scheduled.put(WorkflowTasks.PUBLISH_JOB_EVENTS.name(), jobEvents.function);

        Map<String, IntakeFunction> functions = new LinkedHashMap<>();
        tasks.forEach((task, fn) -> functions.put(task.name(), fn));
        functions.put(deleteTask.name(), deleteFn);
        exportTasks.forEach((task, fn) -> functions.put(task.name(), fn));
        operationStacks.forEach(stack -> stack.functions.forEach((route, fn) -> functions.put(functionId(route), fn)));
        functions.putAll(scheduled);
        monitoring.dashboard(functions, workflow.stateMachine, landing.deadLetters, List.of(landing.deadLettersAlarm,
                workflow.failedAlarm, deletion.failedAlarm, jobEvents.failedRecordsAlarm, exports.failedAlarm));

        CfnOutput.Builder.create(this, "ApiUrl").value(api.api.getUrl())
                .description("Base URL of the API (SigV4, service execute-api)").build();
        CfnOutput.Builder.create(this, "LandingBucketName").value(buckets.landing.getBucketName())
                .description("Drop data here").build();
        CfnOutput.Builder.create(this, "ResultsBucketName").value(buckets.results.getBucketName())
                .description("Error reports and statistics of import jobs").build();
        CfnOutput.Builder.create(this, "StateMachineArn").value(workflow.stateMachine.getStateMachineArn())
                .description("The import-job state machine").build();
        CfnOutput.Builder.create(this, "AlarmTopicArn").value(monitoring.alarmTopic.getTopicArn())
                .description("Every alarm notifies this SNS topic: subscribe to it").build();
        CfnOutput.Builder.create(this, "JobEventBusName").value(jobEvents.busName)
                .description("Import Job State Change events (source intake) go to this EventBridge bus").build();
        CfnOutput.Builder.create(this, "IngestRoleArns")
                .value(Fn.join(",", java.util.stream.Stream.concat(tasks.entrySet().stream().filter(e -> e.getKey().readsSource()),
                                exportTasks.entrySet().stream().filter(e -> e.getKey().permissions()
                                        .contains(dev.intake.app.Permission.WRITE_EXPORTS)))
                        .map(e -> e.getValue().role.getRoleArn()).toList()))
                .description("The roles that read import data or write exports: a job's roleArn must trust them").build();
    }

    /** The state machines a function starts, by their ARNs in its environment. */
    private static void starters(java.util.Set<dev.intake.app.Permission> permissions, Map<String, String> env,
                                 ImportStateMachine imports, ImportStateMachine deletions) {
        if (permissions.contains(dev.intake.app.Permission.START_IMPORTS)) {
            env.put("STATE_MACHINE_ARN", imports.stateMachine.getStateMachineArn());
        }
        if (permissions.contains(dev.intake.app.Permission.START_DELETIONS)) {
            env.put("DELETE_STATE_MACHINE_ARN", deletions.stateMachine.getStateMachineArn());
        }
    }

    /** e.g. PersonalizeCreateDatasetImportJob: the dialect keeps equal operation names of two dialects apart. */
    static String functionId(Route route) {
        String dialect = route.dialect().pathSegment();
        return dialect.substring(0, 1).toUpperCase(Locale.ROOT) + dialect.substring(1) + route.operation();
    }

    /** What every handler reads at start-up (see Services.fromEnvironment). */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("CONTROL_TABLE", tables.control.getTableName());
        env.put("RECORDS_TABLE", tables.records.getTableName());
        env.put("RESULTS_BUCKET", buckets.results.getBucketName());
        env.put("INTAKE_ACCOUNT_ID", Aws.ACCOUNT_ID);
        env.putAll(IntakeMetrics.POWERTOOLS_ENVIRONMENT);
        Object chunkBytes = getNode().tryGetContext("chunkBytes"); // cdk synth -c chunkBytes=...
        if (chunkBytes != null) {
            env.put("CHUNK_BYTES", chunkBytes.toString());
        }
        Object reportRows = getNode().tryGetContext("errorReportRows"); // cdk synth -c errorReportRows=...
        if (reportRows != null) {
            env.put("ERROR_REPORT_ROWS", reportRows.toString());
        }
        // cdk synth -c importSources=s3://{landing}/,s3://bucket/folder/ -c importRoleArns=arn:aws:iam::...:role/...
        env.put(ImportAccess.SOURCES_VARIABLE, imports.sourcesVariable(buckets.landing));
        if (imports.rolesVariable() != null) {
            env.put(ImportAccess.ROLES_VARIABLE, imports.rolesVariable());
        }
        return env;
    }

    /** CDK's own custom resource that configures bucket notifications (created by addEventNotification). */
    private void suppressBucketNotificationsHandler() {
        for (IConstruct child : getNode().getChildren()) {
            if (child.getNode().getId().startsWith("BucketNotificationsHandler")) {
                Nag.suppress(child, "IAM4", "CDK's bucket-notifications handler writes its own logs with"
                        + " AWSLambdaBasicExecutionRole; it runs only while CloudFormation deploys the stack",
                        List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));
            }
        }
    }
}
