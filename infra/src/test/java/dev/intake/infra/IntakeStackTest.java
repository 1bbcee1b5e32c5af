package dev.intake.infra;

import static dev.intake.infra.TemplateView.actionsOf;
import static dev.intake.infra.TemplateView.joined;
import static dev.intake.infra.TemplateView.resourcesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.workflow.ScheduledTasks;
import dev.intake.workflow.WorkflowTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IntakeStackTest {
    private static final Set<String> DYNAMODB_WRITES = Set.of("dynamodb:PutItem", "dynamodb:UpdateItem",
            "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:TransactWriteItems", "dynamodb:*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private final SynthesizedIntake intake = SynthesizedIntake.get();
    private final TemplateView view = intake.view;

    // ---- API ----

    @Test
    void everyRouteIsOneIamAuthorizedMethodIntegratedWithItsFunctionsLiveAlias() {
        Map<String, JsonNode> methods = view.resources("AWS::ApiGateway::Method");
        assertThat(methods).hasSize(Routes.ALL.size());
        for (Route route : Routes.ALL) {
            List<JsonNode> matching = methods.values().stream().map(m -> m.path("Properties"))
                    .filter(m -> m.path("HttpMethod").asText().equals(route.method())
                            && view.apiPathOf(m.path("ResourceId")).equals(route.path()))
                    .toList();
            assertThat(matching).as("method for %s %s", route.method(), route.path()).hasSize(1);
            JsonNode method = matching.get(0);
            assertThat(method.path("AuthorizationType").asText()).as(route.path()).isEqualTo("AWS_IAM");
            assertThat(method.path("RequestValidatorId").isMissingNode()).as(route.path()).isFalse();
            // a body is checked to be a JSON object where a method takes one (DataZone's GETs and DELETEs take none)
            boolean body = List.of("POST", "PUT", "PATCH").contains(route.method());
            assertThat(method.path("RequestModels").has(route.dialect().contentType())).as(route.path()).isEqualTo(body);

            JsonNode integration = method.path("Integration");
            assertThat(integration.path("Type").asText()).isEqualTo("AWS_PROXY");
            String alias = view.liveAliasOf(view.functionIdByHandler(route.lambdaHandler()));
            assertThat(joined(integration.path("Uri"))).as(route.path())
                    .contains(":lambda:path/2015-03-31/functions/<Ref:" + alias + ">/invocations");
        }
    }

    @Test
    void apiGatewayMayInvokeOnlyTheAliasesThroughTheirMethods() {
        Set<String> routeAliases = new HashSet<>();
        Routes.ALL.forEach(r -> routeAliases.add(view.liveAliasOf(view.functionIdByHandler(r.lambdaHandler()))));
        Map<String, JsonNode> permissions = view.resources("AWS::Lambda::Permission");
        permissions.values().removeIf(p -> !p.path("Properties").path("Principal").asText().equals("apigateway.amazonaws.com"));
        assertThat(permissions).hasSize(Routes.ALL.size());
        permissions.values().forEach(p -> assertThat(routeAliases)
                .contains(p.path("Properties").path("FunctionName").path("Ref").asText()));
    }

    @Test
    void stageIsTracedThrottledAndAccessLogged() {
        JsonNode stage = single("AWS::ApiGateway::Stage");
        assertThat(stage.path("TracingEnabled").asBoolean()).isTrue();
        assertThat(stage.path("AccessLogSetting").path("DestinationArn").has("Fn::GetAtt")).isTrue();
        JsonNode all = stage.path("MethodSettings").get(0);
        assertThat(all.path("HttpMethod").asText()).isEqualTo("*");
        assertThat(all.path("ResourcePath").asText()).isEqualTo("/*");
        assertThat(all.path("ThrottlingRateLimit").asDouble()).isPositive();
        assertThat(all.path("ThrottlingBurstLimit").asInt()).isPositive();
        assertThat(all.path("LoggingLevel").asText()).isEqualTo("ERROR");
        JsonNode validator = single("AWS::ApiGateway::RequestValidator");
        assertThat(validator.path("ValidateRequestBody").asBoolean()).isTrue();
    }

    @Test
    void theStagesDeploymentFollowsTheMethodsOfEveryOperationsStack() {
        Map<String, JsonNode> deployments = view.resources("AWS::ApiGateway::Deployment");
        assertThat(deployments).hasSize(1);
        String deployment = deployments.keySet().iterator().next();
        // made after every method exists: it depends on each operations stack
        Set<String> dependsOn = new TreeSet<>();
        deployments.get(deployment).path("DependsOn").forEach(d -> dependsOn.add(d.asText()));
        assertThat(dependsOn).containsAll(view.resources("AWS::CloudFormation::Stack").keySet());
        assertThat(single("AWS::ApiGateway::Stage").path("DeploymentId").path("Ref").asText()).isEqualTo(deployment);
        // and replaced (so the stage serves the change) when a nested stack's methods change
        var app = SynthesizedIntake.newApp("one-route-less");
        IntakeStack fewer = new IntakeStack(app, "IntakeStack", software.amazon.awscdk.StackProps.builder().build(),
                SynthesizedIntake.SOURCES, Routes.ALL.subList(0, Routes.ALL.size() - 1));
        assertThat(TemplateView.of(fewer).resources("AWS::ApiGateway::Deployment").keySet())
                .singleElement().isNotEqualTo(deployment);
    }

    // ---- functions ----

    @Test
    void oneFunctionPerRouteAndPerWorkflowTaskAndPerScheduledTask() {
        Set<String> expected = new TreeSet<>();
        Routes.ALL.forEach(r -> expected.add(r.lambdaHandler()));
        WorkflowTasks.ALL.forEach(t -> expected.add(t.lambdaHandler()));
        ScheduledTasks.ALL.forEach(t -> expected.add(t.lambdaHandler()));
        expected.add(WorkflowTasks.EXECUTION_ENDED.lambdaHandler());
        expected.add(WorkflowTasks.DELETE_RECORDS.lambdaHandler());
        WorkflowTasks.EXPORT.forEach(t -> expected.add(t.lambdaHandler()));
        expected.add(dev.intake.triggers.Triggers.S3_ARRIVALS.lambdaHandler());
        expected.add(WorkflowTasks.PUBLISH_JOB_EVENTS.lambdaHandler());
        expected.add(ScheduledTasks.RUN_SCHEDULED_SOURCE.lambdaHandler());
        Set<String> handlers = new TreeSet<>();
        view.intakeFunctions().values().forEach(fn -> handlers.add(fn.path("Properties").path("Handler").asText()));

        assertThat(view.intakeFunctions()).hasSize(Routes.ALL.size() + WorkflowTasks.ALL.size() + ScheduledTasks.ALL.size()
                + WorkflowTasks.EXPORT.size() + 5);
        assertThat(handlers).isEqualTo(expected);
        // The only other function is CDK's handler that sets the landing bucket's notifications.
        assertThat(view.resources("AWS::Lambda::Function")).hasSize(expected.size() + 1);
    }

    @Test
    void unfinishedJobsAreResumedOnAScheduleByAFunctionThatStartsExecutions() {
        for (ScheduledTasks.Task task : ScheduledTasks.ALL) {
            String functionId = view.functionIdByHandler(task.lambdaHandler());
            String alias = view.liveAliasOf(functionId);
            List<JsonNode> rules = view.resources("AWS::Events::Rule").values().stream()
                    .filter(r -> r.path("Properties").path("ScheduleExpression").asText().equals(task.schedule()))
                    .toList();
            assertThat(rules).as(task.name()).hasSize(1);
            assertThat(rules.get(0).path("Properties").path("Targets").get(0).path("Arn").path("Ref").asText()).isEqualTo(alias);
            List<String> actions = new java.util.ArrayList<>();
            String roleId = view.resource(functionId).path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
            view.statementsOfRole(roleId).forEach(st -> actions.addAll(actionsOf(st)));
            assertThat(actions).contains("states:StartExecution", "states:DescribeExecution", "dynamodb:Query");
        }
    }

    @Test
    void everyEndOfAnImportExecutionReachesTheExecutionEndedFunction() {
        String functionId = view.functionIdByHandler(WorkflowTasks.EXECUTION_ENDED.lambdaHandler());
        String machine = stateMachineId();
        List<JsonNode> rules = view.resources("AWS::Events::Rule").values().stream()
                .filter(r -> r.path("Properties").has("EventPattern")).toList();
        assertThat(rules).hasSize(1);
        JsonNode rule = rules.get(0).path("Properties");
        JsonNode pattern = rule.path("EventPattern");
        assertThat(pattern.path("source").toString()).isEqualTo("[\"aws.states\"]");
        assertThat(pattern.path("detail-type").toString()).isEqualTo("[\"Step Functions Execution Status Change\"]");
        assertThat(pattern.path("detail").path("stateMachineArn").get(0).path("Ref").asText()).isEqualTo(machine);
        assertThat(pattern.path("detail").path("stateMachineArn").get(1).path("Ref").asText()).isEqualTo(deleteMachineId());
        assertThat(pattern.path("detail").path("stateMachineArn").get(2).path("Ref").asText()).isEqualTo(exportMachineId());
        assertThat(pattern.path("detail").path("stateMachineArn")).hasSize(3);
        assertThat(pattern.path("detail").path("status").toString())
                .isEqualTo("[\"SUCCEEDED\",\"FAILED\",\"TIMED_OUT\",\"ABORTED\"]");
        JsonNode target = rule.path("Targets").get(0);
        assertThat(target.path("Arn").path("Ref").asText()).isEqualTo(view.liveAliasOf(functionId));
        assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(8);
        assertThat(view.resource(functionId).path("Properties").path("Environment").path("Variables")
                .path("STATE_MACHINE_ARN").path("Ref").asText()).isEqualTo(machine);
    }

    @Test
    void everyFunctionIsJava21Arm64TracedWithSnapStartAndTheSharedEnvironment() {
        view.intakeFunctions().forEach((id, fn) -> {
            JsonNode p = fn.path("Properties");
            assertThat(p.path("Runtime").asText()).as(id).isEqualTo("java21");
            assertThat(p.path("Architectures").toString()).as(id).isEqualTo("[\"arm64\"]");
            assertThat(p.path("SnapStart").path("ApplyOn").asText()).as(id).isEqualTo("PublishedVersions");
            assertThat(p.path("TracingConfig").path("Mode").asText()).as(id).isEqualTo("Active");
            assertThat(p.path("LoggingConfig").path("LogGroup").isMissingNode()).as(id).isFalse();
            JsonNode env = p.path("Environment").path("Variables");
            for (String variable : List.of("CONTROL_TABLE", "RECORDS_TABLE", "RESULTS_BUCKET", "INTAKE_ACCOUNT_ID")) {
                assertThat(env.has(variable)).as(id + " " + variable).isTrue();
            }
            // which tier, by function: LambdaJarsTest
            assertThat(env.path("JAVA_TOOL_OPTIONS").asText()).as(id).startsWith("-XX:+TieredCompilation -XX:TieredStopAtLevel=");
        });
    }

    @Test
    void everyFunctionHasTheAliasLiveOnAPublishedVersion() {
        view.intakeFunctions().keySet().forEach(id -> {
            JsonNode alias = view.resource(view.liveAliasOf(id)).path("Properties");
            String versionId = alias.path("FunctionVersion").path("Fn::GetAtt").path(0).asText();
            JsonNode version = view.resource(versionId);
            assertThat(version.path("Type").asText()).isEqualTo("AWS::Lambda::Version");
            assertThat(version.path("Properties").path("FunctionName").path("Ref").asText()).isEqualTo(id);
        });
    }

    @Test
    void functionsAreSizedByKind() {
        for (Route route : Routes.ALL) {
            JsonNode fn = view.functionProperties(route.lambdaHandler());
            assertThat(fn.path("MemorySize").asInt()).isEqualTo(1024);
            assertThat(fn.path("Timeout").asInt()).isEqualTo(29);
        }
        for (WorkflowTasks.Task task : WorkflowTasks.ALL) {
            JsonNode fn = view.functionProperties(task.lambdaHandler());
            assertThat(fn.path("MemorySize").asInt()).as(task.name()).isEqualTo(task.longRunning() ? 2048 : 1024);
            assertThat(fn.path("Timeout").asInt()).as(task.name()).isEqualTo(task.longRunning() ? 900 : 60);
        }
    }

    @Test
    void onlyTheRoutesThatStartImportsKnowTheStateMachine() {
        String stateMachine = stateMachineId();
        for (Route route : Routes.ALL) {
            JsonNode env = view.functionProperties(route.lambdaHandler()).path("Environment").path("Variables");
            boolean starts = List.of("CreateDatasetImportJob", "StartDataSourceRun", "StopImportJob", "StopResource",
                    "StartDataIngestionJob").contains(route.operation());
            assertThat(env.has("STATE_MACHINE_ARN")).as(route.path()).isEqualTo(starts);
            if (starts) {
                assertThat(env.path("STATE_MACHINE_ARN").path("Ref").asText()).isEqualTo(stateMachine);
            }
        }
    }

    // ---- least privilege ----

    @Test
    void readOnlyRoutesHaveNoDynamoDbWriteExceptListingsConfigItem() {
        List<Route> readOnly = Routes.ALL.stream().filter(Route::readOnly).toList();
        assertThat(readOnly).extracting(Route::operation).contains("DescribeDatasetImportJob", "DescribeDataset");
        for (Route route : readOnly) {
            List<JsonNode> statements = view.statementsOf(view.functionIdByHandler(route.lambdaHandler()));
            assertThat(actions(statements)).as(route.path()).contains("dynamodb:GetItem", "dynamodb:Query");
            for (JsonNode statement : statements) {
                if (statement.has("Condition")) {
                    continue; // checked below
                }
                assertThat(actionsOf(statement)).as(route.path()).doesNotContainAnyElementsOf(DYNAMODB_WRITES);
            }
            if (!route.operation().startsWith("List")) {
                assertThat(actions(statements)).as(route.path()).doesNotContainAnyElementsOf(DYNAMODB_WRITES);
            }
        }
    }

    @Test
    void describeFunctionsCannotWriteAtAll() {
        for (String operation : List.of("DescribeDatasetImportJob", "DescribeDataset", "DescribeImportJob")) {
            Route route = route(operation);
            List<String> actions = actions(view.statementsOf(view.functionIdByHandler(route.lambdaHandler())));
            assertThat(actions).as(operation).doesNotContainAnyElementsOf(DYNAMODB_WRITES)
                    .noneMatch(a -> a.startsWith("s3:Put") || a.startsWith("states:"));
        }
    }

    @Test
    void listDatasetsMayPutOnlyTheConfigPartitionOfTheControlTable() {
        List<JsonNode> writes = view.statementsOf(view.functionIdByHandler(route("ListDatasets").lambdaHandler()))
                .stream().filter(s -> actionsOf(s).stream().anyMatch(DYNAMODB_WRITES::contains)).toList();
        assertThat(writes).hasSize(1);
        JsonNode put = writes.get(0);
        assertThat(actionsOf(put)).containsExactly("dynamodb:PutItem");
        assertThat(resourcesOf(put)).extracting(r -> r.path("Fn::GetAtt").path(0).asText())
                .containsExactly(tableId("Control"));
        assertThat(put.path("Condition").path("ForAllValues:StringEquals").path("dynamodb:LeadingKeys").toString())
                .isEqualTo("[\"CONFIG\"]");
    }

    private static final String CONTROL_READ = "dynamodb:GetItem,dynamodb:Query on <GetAtt:CONTROL.Arn>";
    private static final String CONTROL_READ_WRITE = "dynamodb:DeleteItem,dynamodb:GetItem,dynamodb:PutItem,dynamodb:Query,"
            + "dynamodb:UpdateItem on <GetAtt:CONTROL.Arn>";
    private static final String LIST_WORK_FILES = "s3:ListBucket on <GetAtt:RESULTS.Arn> if {\"StringLike\":{\"s3:prefix\":"
            + "[\"work/*\"]}}";
    private static final String READ_LANDING = "s3:GetObject on <GetAtt:LANDING.Arn>/*";
    private static final String WRITE_MANIFESTS = "s3:PutObject on <GetAtt:RESULTS.Arn>/manifests/*";
    private static final String LIST_LANDING = "s3:ListBucket on <GetAtt:LANDING.Arn>";

    /**
     * Every function's policy, statement for statement (its log group and X-Ray aside), with the
     * default context: what each handler touches when read from its code, nothing more. No role
     * may be assumed, and source data is the landing bucket only.
     */
    @Test
    void everyFunctionsPolicyIsExactlyWhatItsHandlerUses() {
        Map<String, Set<String>> expected = new java.util.TreeMap<>();
        String startImports = "states:StartExecution on <Ref:STATE_MACHINE>";
        // A job's executions are looked up by name (<job>.<attempt>): this machine's executions only.
        String describeExecutions = "states:DescribeExecution on arn:<Ref:AWS::Partition>:states:<Ref:AWS::Region>:"
                + "<Ref:AWS::AccountId>:execution:<GetAtt:STATE_MACHINE.Name>:*";
        String startDeletions = "states:StartExecution on <Ref:DELETE_MACHINE>";
        String describeDeletions = "states:DescribeExecution on arn:<Ref:AWS::Partition>:states:<Ref:AWS::Region>:"
                + "<Ref:AWS::AccountId>:execution:<GetAtt:DELETE_MACHINE.Name>:*";
        String deleteRecords = "dynamodb:BatchGetItem,dynamodb:BatchWriteItem,dynamodb:GetItem,dynamodb:Query on <GetAtt:RECORDS.Arn>";
        expected.put("PersonalizeCreateDatasetImportJob", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions));
        expected.put("PersonalizeDescribeDatasetImportJob", Set.of(CONTROL_READ));
        expected.put("IntakeCreateDataset", Set.of("dynamodb:DeleteItem,dynamodb:PutItem,dynamodb:UpdateItem on <GetAtt:CONTROL.Arn>"));
        expected.put("IntakeDescribeDataset", Set.of(CONTROL_READ));
        expected.put("IntakeListDatasets", Set.of(CONTROL_READ, "dynamodb:PutItem on <GetAtt:CONTROL.Arn> if "
                + "{\"ForAllValues:StringEquals\":{\"dynamodb:LeadingKeys\":[\"CONFIG\"]}}"));
        // marks the dataset and starts the deletion workflow: it deletes no record itself
        expected.put("IntakeDeleteDataset", Set.of(CONTROL_READ_WRITE, startDeletions, describeDeletions));
        expected.put("IntakeGetRecord", Set.of(CONTROL_READ, "dynamodb:BatchGetItem,dynamodb:GetItem,dynamodb:Query on <GetAtt:RECORDS.Arn>"));
        expected.put("IntakeDescribeImportJob", Set.of(CONTROL_READ));
        expected.put("Start", Set.of(CONTROL_READ_WRITE));
        // Plan (and Reconcile, for a second pass) writes the chunk manifest the Distributed Map reads.
        expected.put("Plan", Set.of(CONTROL_READ_WRITE, READ_LANDING, LIST_LANDING,
                "s3:GetObject,s3:PutObject on <GetAtt:RESULTS.Arn>/work/*", WRITE_MANIFESTS));
        expected.put("IngestChunk", Set.of(CONTROL_READ_WRITE, "dynamodb:BatchGetItem,dynamodb:BatchWriteItem,dynamodb:GetItem,"
                + "dynamodb:PutItem,dynamodb:Query on <GetAtt:RECORDS.Arn>", "s3:GetObject,s3:PutObject on <GetAtt:RESULTS.Arn>/work/*",
                READ_LANDING, LIST_LANDING));
        expected.put("Reconcile", Set.of(CONTROL_READ, "s3:GetObject,s3:PutObject on <GetAtt:RESULTS.Arn>/work/*",
                WRITE_MANIFESTS));
        expected.put("Finish", Set.of(CONTROL_READ_WRITE,
                "s3:DeleteObject,s3:GetObject on <GetAtt:RESULTS.Arn>/work/*", LIST_WORK_FILES,
                "s3:PutObject on <GetAtt:RESULTS.Arn>/error-reports/*,<GetAtt:RESULTS.Arn>/statistics/*"));
        expected.put("Fail", Set.of(CONTROL_READ_WRITE, "s3:DeleteObject on <GetAtt:RESULTS.Arn>/work/*", LIST_WORK_FILES));
        expected.put("DeleteRecords", Set.of(CONTROL_READ_WRITE, deleteRecords));
        // Both may fail a job whose execution ended without ending it, as Fail does, and start the next one.
        expected.put("ResumeUnfinishedJobs", Set.of(CONTROL_READ_WRITE, "s3:DeleteObject on <GetAtt:RESULTS.Arn>/work/*",
                LIST_WORK_FILES, startImports, describeExecutions, startDeletions, describeDeletions));
        expected.put("ExecutionEnded", Set.of(CONTROL_READ_WRITE, "s3:DeleteObject on <GetAtt:RESULTS.Arn>/work/*",
                LIST_WORK_FILES, startImports, describeExecutions, startDeletions, describeDeletions));

        // Consumes the landing queue (granted by its event source), opens and fills arrival batches,
        // and starts a batch's execution when it is first in its dataset's queue.
        expected.put("S3Arrivals", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions,
                "sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:ReceiveMessage on "
                        + "<GetAtt:LANDING_QUEUE.Arn>"));
        // Reads the control table's stream (what its event source mapping polls), notes the records it
        // could not publish in its failed-records queue, and puts events on the default bus only.
        expected.put("PublishJobEvents", Set.of(
                "dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator,dynamodb:ListStreams on"
                        + " <GetAtt:CONTROL.StreamArn>",
                "sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:SendMessage on <GetAtt:FAILED_RECORDS.Arn>",
                "events:PutEvents on arn:<Ref:AWS::Partition>:events:<Ref:AWS::Region>:<Ref:AWS::AccountId>:event-bus/default"));
        // Data sources: the managing routes may touch the schedules of Intake's group and pass the
        // scheduler's role to Scheduler only; runs create jobs as CreateDatasetImportJob does.
        Set<String> manageSchedules = Set.of("scheduler:CreateSchedule,scheduler:DeleteSchedule,scheduler:GetSchedule,"
                + "scheduler:UpdateSchedule on arn:<Ref:AWS::Partition>:scheduler:<Ref:AWS::Region>:<Ref:AWS::AccountId>:"
                + "schedule/<Ref:SCHEDULE_GROUP>/*", "iam:PassRole on <GetAtt:SCHEDULER_ROLE.Arn> if "
                + "{\"StringEquals\":{\"iam:PassedToService\":\"scheduler.amazonaws.com\"}}");
        for (String op : List.of("IntakeCreateDataSource", "IntakeUpdateDataSource", "IntakeDeleteDataSource")) {
            Set<String> statements = new TreeSet<>(manageSchedules);
            statements.add(CONTROL_READ_WRITE);
            expected.put(op, statements);
        }
        expected.put("IntakeDescribeDataSource", Set.of(CONTROL_READ));
        expected.put("IntakeListDataSources", expected.get("IntakeListDatasets"));
        expected.put("IntakeStartDataSourceRun", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions));
        // a DataZone data source's scheduled run lists its folder first, as StartDataSourceRun does
        expected.put("RunScheduledSource", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions, READ_LANDING,
                LIST_LANDING));
        // Stops a running job's execution (this machine's executions only) or ends a pending job and
        // starts the next one.
        expected.put("IntakeStopImportJob", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions,
                "states:StopExecution on arn:<Ref:AWS::Partition>:states:<Ref:AWS::Region>:"
                        + "<Ref:AWS::AccountId>:execution:<GetAtt:STATE_MACHINE.Name>:*"));

        // Forecast: its groups and import settings are control-table items like everything else
        expected.put("ForecastCreateDatasetGroup", Set.of(CONTROL_READ_WRITE));
        expected.put("ForecastDescribeDatasetGroup", Set.of(CONTROL_READ));
        expected.put("ForecastListDatasetGroups", expected.get("IntakeListDatasets"));
        expected.put("ForecastUpdateDatasetGroup", Set.of(CONTROL_READ_WRITE));
        expected.put("ForecastDeleteDatasetGroup", Set.of(CONTROL_READ_WRITE));
        expected.put("ForecastCreateDataset", expected.get("IntakeCreateDataset"));
        expected.put("ForecastDescribeDataset", Set.of(CONTROL_READ));
        expected.put("ForecastListDatasets", expected.get("IntakeListDatasets"));
        expected.put("ForecastDeleteDataset", expected.get("IntakeDeleteDataset"));
        expected.put("ForecastCreateDatasetImportJob", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions));
        expected.put("ForecastDescribeDatasetImportJob", Set.of(CONTROL_READ));
        expected.put("ForecastListDatasetImportJobs", expected.get("IntakeListDatasets"));
        expected.put("ForecastDeleteDatasetImportJob", Set.of(CONTROL_READ_WRITE));
        expected.put("ForecastStopResource", expected.get("IntakeStopImportJob"));

        // Personalize's schemas, dataset groups, datasets and tags: control-table items only; deleting a
        // dataset starts its deletion workflow as Intake's DeleteDataset does.
        String controlWrite = "dynamodb:DeleteItem,dynamodb:PutItem,dynamodb:UpdateItem on <GetAtt:CONTROL.Arn>";
        for (String op : List.of("CreateSchema", "CreateDatasetGroup")) {
            expected.put("Personalize" + op, Set.of(controlWrite));
        }
        for (String op : List.of("DescribeSchema", "DescribeDatasetGroup", "DescribeDataset", "ListTagsForResource")) {
            expected.put("Personalize" + op, Set.of(CONTROL_READ));
        }
        for (String op : List.of("ListSchemas", "ListDatasetGroups", "ListDatasets", "ListDatasetImportJobs")) {
            expected.put("Personalize" + op, expected.get("IntakeListDatasets"));
        }
        for (String op : List.of("DeleteSchema", "DeleteDatasetGroup", "CreateDataset", "UpdateDataset", "TagResource",
                "UntagResource")) {
            expected.put("Personalize" + op, Set.of(CONTROL_READ_WRITE));
        }
        expected.put("PersonalizeDeleteDataset", Set.of(CONTROL_READ_WRITE, startDeletions, describeDeletions));

        // Dataset exports: the route stores the job and starts the export machine; its steps read the
        // job, the dataset and the records, and write the files as the job's role (no role is allowed
        // without the importRoleArns context, so none may be assumed here).
        expected.put("PersonalizeCreateDatasetExportJob", Set.of(CONTROL_READ_WRITE,
                "states:StartExecution on <Ref:EXPORT_MACHINE>", "states:DescribeExecution on arn:<Ref:AWS::Partition>:"
                        + "states:<Ref:AWS::Region>:<Ref:AWS::AccountId>:execution:<GetAtt:EXPORT_MACHINE.Name>:*"));
        expected.put("PersonalizeDescribeDatasetExportJob", Set.of(CONTROL_READ));
        expected.put("PersonalizeListDatasetExportJobs", expected.get("IntakeListDatasets"));
        expected.put("ExportStart", Set.of(CONTROL_READ_WRITE));
        expected.put("ExportPart", Set.of(CONTROL_READ, "dynamodb:BatchGetItem,dynamodb:GetItem,dynamodb:Query on <GetAtt:RECORDS.Arn>"));
        expected.put("ExportFinish", Set.of(CONTROL_READ_WRITE));
        expected.put("ExportFail", Set.of(CONTROL_READ_WRITE));
        // Lookout for Equipment: its datasets' views, ingestion settings and client tokens are
        // control-table items; ingestions start imports, deletions the deletion workflow.
        for (String op : List.of("CreateDataset", "TagResource", "UntagResource")) {
            expected.put("Lookoutequipment" + op, Set.of(CONTROL_READ_WRITE));
        }
        for (String op : List.of("DescribeDataset", "DescribeDataIngestionJob", "ListTagsForResource")) {
            expected.put("Lookoutequipment" + op, Set.of(CONTROL_READ));
        }
        for (String op : List.of("ListDatasets", "ListDataIngestionJobs")) {
            expected.put("Lookoutequipment" + op, expected.get("IntakeListDatasets"));
        }
        expected.put("LookoutequipmentDeleteDataset", expected.get("IntakeDeleteDataset"));
        expected.put("LookoutequipmentStartDataIngestionJob", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions));

        // DataZone: control-table items; data sources manage schedules as Intake's do; a run lists its
        // source's folder (the import sources, as Plan does) and starts an import
        expected.put("DatazoneCreateDomain", Set.of(CONTROL_READ_WRITE));
        expected.put("DatazoneDeleteDomain", Set.of(CONTROL_READ_WRITE));
        for (String op : List.of("GetDomain", "GetDataSource")) {
            expected.put("Datazone" + op, Set.of(CONTROL_READ));
        }
        for (String op : List.of("ListDomains", "ListDataSources")) {
            expected.put("Datazone" + op, expected.get("IntakeListDatasets"));
        }
        for (String op : List.of("CreateDataSource", "UpdateDataSource", "DeleteDataSource")) {
            expected.put("Datazone" + op, expected.get("Intake" + op));
        }
        expected.put("DatazoneStartDataSourceRun", Set.of(CONTROL_READ_WRITE, startImports, describeExecutions,
                READ_LANDING, LIST_LANDING));
        // reading a run whose job ended makes it final (writes it); the listings also page
        expected.put("DatazoneGetDataSourceRun", Set.of(CONTROL_READ_WRITE));
        for (String op : List.of("ListDataSourceRuns", "ListDataSourceRunActivities")) {
            expected.put("Datazone" + op, Set.of(CONTROL_READ_WRITE));
        }

        assertThat(policies(view)).isEqualTo(expected);
    }

    @Test
    void theLandingQueueFeedsTheArrivalsTriggerWithPartialBatchResponses() {
        String queue = view.resources("AWS::SQS::Queue").keySet().stream()
                .filter(id -> id.startsWith("LandingNotificationsQueue")).findFirst().orElseThrow();
        JsonNode mapping = mappingFrom(queue);
        assertThat(mapping.path("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(mapping.path("BatchSize").asInt()).isEqualTo(10);
        // the mapping invokes the S3Arrivals function's live alias (function name from the alias ARN, ":live")
        String function = mapping.path("FunctionName").toString();
        assertThat(function).contains("{\"Ref\":\"ScheduledS3ArrivalsLive").endsWith("\":live\"]]}");
        JsonNode env = view.intakeFunctions().entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("Handler").asText()
                        .equals(dev.intake.triggers.Triggers.S3_ARRIVALS.lambdaHandler()))
                .findFirst().orElseThrow().getValue().path("Properties").path("Environment").path("Variables");
        assertThat(env.path("LANDING_BUCKET").path("Ref").asText()).startsWith("BucketsLanding");
        // six times the trigger's timeout, and poisoned messages parked after 5 receives
        JsonNode queueProps = view.resources("AWS::SQS::Queue").get(queue).path("Properties");
        assertThat(queueProps.path("VisibilityTimeout").asInt()).isEqualTo(360);
        assertThat(queueProps.path("RedrivePolicy").path("maxReceiveCount").asInt()).isEqualTo(5);
    }

    @Test
    void dataSourceSchedulesInvokeOnlyRunScheduledSourceAsARoleOnlySchedulerOfThisAccountAssumes() {
        String group = view.resources("AWS::Scheduler::ScheduleGroup").keySet().stream().findFirst().orElseThrow();
        assertThat(view.resources("AWS::Scheduler::ScheduleGroup")).hasSize(1);
        assertThat(view.resources("AWS::Scheduler::Schedule")).as("made at run time, one per source").isEmpty();
        String target = view.liveAliasOf(view.functionIdByHandler(ScheduledTasks.RUN_SCHEDULED_SOURCE.lambdaHandler()));
        String roleId = view.resources("AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith("SourceSchedulesSchedulerRole")).findFirst().orElseThrow();
        JsonNode trust = view.resource(roleId).path("Properties").path("AssumeRolePolicyDocument").path("Statement");
        assertThat(trust).hasSize(1);
        assertThat(trust.get(0).path("Principal").path("Service").asText()).isEqualTo("scheduler.amazonaws.com");
        assertThat(trust.get(0).path("Condition").path("StringEquals").path("aws:SourceAccount").path("Ref").asText())
                .isEqualTo("AWS::AccountId");
        List<JsonNode> statements = view.statementsOfRole(roleId);
        assertThat(statements).hasSize(1);
        assertThat(actionsOf(statements.get(0))).containsExactly("lambda:InvokeFunction");
        assertThat(resourcesOf(statements.get(0))).hasSize(1);
        assertThat(resourcesOf(statements.get(0)).get(0).path("Ref").asText()).isEqualTo(target);

        // Exactly the functions that manage schedules know where to make them and what they invoke.
        for (Route route : Routes.ALL) {
            JsonNode env = view.functionProperties(route.lambdaHandler()).path("Environment").path("Variables");
            boolean manages = route.permissions().contains(dev.intake.app.Permission.MANAGE_SCHEDULES);
            assertThat(env.has("SOURCE_SCHEDULE_GROUP")).as(route.path()).isEqualTo(manages);
            if (manages) {
                assertThat(env.path("SOURCE_SCHEDULE_GROUP").path("Ref").asText()).isEqualTo(group);
                assertThat(env.path("RUN_SCHEDULED_SOURCE_ARN").path("Ref").asText()).isEqualTo(target);
                assertThat(env.path("SOURCE_SCHEDULER_ROLE_ARN").path("Fn::GetAtt").path(0).asText()).isEqualTo(roleId);
            }
        }
        assertThat(List.of("IntakeCreateDataSource", "IntakeUpdateDataSource", "IntakeDeleteDataSource"))
                .allMatch(op -> Routes.ALL.stream().anyMatch(r -> IntakeStack.functionId(r).equals(op)
                        && r.permissions().contains(dev.intake.app.Permission.MANAGE_SCHEDULES)));
    }

    @Test
    void configuredSourcesAndRolesAreExactlyWhatTheIngestRolesMayReadAndAssume() {
        TemplateView configured = synth("import-grants", Map.of(
                "importSources", "s3://{landing}/in/,s3://shared-data/exports/,s3://shared-data/other/,s3://whole-bucket/",
                "importRoleArns", READER + "," + WRITER));
        Map<String, Set<String>> policies = policies(configured);
        Set<String> sources = Set.of(
                "s3:GetObject on <GetAtt:LANDING.Arn>/in/*,arn:<Ref:AWS::Partition>:s3:::shared-data/exports/*,"
                        + "arn:<Ref:AWS::Partition>:s3:::shared-data/other/*,arn:<Ref:AWS::Partition>:s3:::whole-bucket/*",
                "s3:ListBucket on <GetAtt:LANDING.Arn> if {\"StringLike\":{\"s3:prefix\":[\"in/*\"]}}",
                "s3:ListBucket on arn:<Ref:AWS::Partition>:s3:::shared-data if {\"StringLike\":{\"s3:prefix\":"
                        + "[\"exports/*\",\"other/*\"]}}",
                "s3:ListBucket on arn:<Ref:AWS::Partition>:s3:::whole-bucket",
                "sts:AssumeRole on " + READER + "," + WRITER);
        for (String task : List.of("Plan", "IngestChunk", "DatazoneStartDataSourceRun", "RunScheduledSource")) {
            Set<String> unchanged = new TreeSet<>(policies(view).get(task));
            unchanged.removeAll(Set.of(READ_LANDING, LIST_LANDING));
            Set<String> expected = new TreeSet<>(unchanged);
            expected.addAll(sources);
            assertThat(policies.get(task)).as(task).isEqualTo(expected);
        }
        // An export step writes its files as the job's role: it may assume exactly the listed roles.
        Set<String> exportPart = new TreeSet<>(policies(view).get("ExportPart"));
        exportPart.add("sts:AssumeRole on " + READER + "," + WRITER);
        assertThat(policies.get("ExportPart")).isEqualTo(exportPart);
        // Nothing else reads data or assumes roles; every other policy is as without the context.
        policies.forEach((fn, statements) -> {
            if (!fn.equals("Plan") && !fn.equals("IngestChunk") && !fn.equals("ExportPart")
                    && !fn.equals("DatazoneStartDataSourceRun") && !fn.equals("RunScheduledSource")) {
                assertThat(statements).as(fn).isEqualTo(policies(view).get(fn));
            }
        });
    }

    @Test
    void noPolicyNamesAnyBucketAnyRoleOrAnyTable() {
        for (TemplateView template : List.of(view, synth("import-wildcards", Map.of("importRoleArns", READER)))) {
            policies(template).forEach((fn, statements) -> assertThat(statements).as(fn)
                    .noneMatch(st -> st.contains("s3:::*") || st.contains("iam::*") || st.contains(":role/*")
                            || st.contains("table/*") || st.matches(".* on \\*( .*)?")));
        }
    }

    @Test
    void theIngestRolesAreAnOutputForTheTrustPoliciesOfAllowedRoles() {
        List<String> ingestRoles = new ArrayList<>();
        for (WorkflowTasks.Task task : WorkflowTasks.ALL) {
            if (task.readsSource()) {
                ingestRoles.add("<GetAtt:" + view.resource(view.functionIdByHandler(task.lambdaHandler())).path("Properties")
                        .path("Role").path("Fn::GetAtt").path(0).asText() + ".Arn>");
            }
        }
        for (WorkflowTasks.Task task : WorkflowTasks.EXPORT) {
            if (task.permissions().contains(dev.intake.app.Permission.WRITE_EXPORTS)) {
                ingestRoles.add("<GetAtt:" + view.resource(view.functionIdByHandler(task.lambdaHandler())).path("Properties")
                        .path("Role").path("Fn::GetAtt").path(0).asText() + ".Arn>");
            }
        }
        assertThat(ingestRoles).as("Plan, IngestChunk, ExportPart").hasSize(3);
        assertThat(joined(view.template.path("Outputs").path("IngestRoleArns").path("Value")))
                .isEqualTo(String.join(",", ingestRoles));
    }

    @Test
    void contextValuesSetTheEngineSettingsOfEveryFunction() {
        var app = SynthesizedIntake.newApp("engine-context");
        app.getNode().setContext("chunkBytes", "16777216");
        app.getNode().setContext("errorReportRows", "5000");
        IntakeStack stack = IntakeApp.addTo(app, SynthesizedIntake.SOURCES);
        TemplateView withContext = TemplateView.of(stack);
        assertThat(withContext.intakeFunctions()).isNotEmpty().allSatisfy((id, fn) -> {
            JsonNode env = fn.path("Properties").path("Environment").path("Variables");
            assertThat(env.path("CHUNK_BYTES").asText()).as(id).isEqualTo("16777216");
            assertThat(env.path("ERROR_REPORT_ROWS").asText()).as(id).isEqualTo("5000");
        });
        assertThat(view.intakeFunctions()).allSatisfy((id, fn) -> assertThat(fn.path("Properties").path("Environment")
                .path("Variables").has("ERROR_REPORT_ROWS")).as("the default needs no variable: %s", id).isFalse());
    }

    @Test
    void theLandingQueueTakesNotificationsOfTheOtherImportSourceBucketsOnlyFromS3OfThisAccount() {
        JsonNode onlyLanding = queuePolicyStatements(view);
        assertThat(onlyLanding.toString()).doesNotContain("shared-data");
        TemplateView configured = synth("queue-sources", Map.of(
                "importSources", "s3://{landing}/in/,s3://shared-data/exports/,s3://shared-data/other/,s3://whole-bucket/"));
        List<JsonNode> others = new ArrayList<>();
        queuePolicyStatements(configured).forEach(st -> {
            if (st.path("Condition").toString().contains("shared-data")) {
                others.add(st);
            }
        });
        assertThat(others).hasSize(1);
        JsonNode st = others.get(0);
        assertThat(st.path("Principal").path("Service").asText()).isEqualTo("s3.amazonaws.com");
        assertThat(st.path("Action").asText()).isEqualTo("sqs:SendMessage");
        assertThat(st.path("Condition").path("ArnLike").path("aws:SourceArn")).extracting(TemplateView::joined)
                .containsExactly("arn:<Ref:AWS::Partition>:s3:::shared-data", "arn:<Ref:AWS::Partition>:s3:::whole-bucket");
        assertThat(st.path("Condition").path("StringEquals").path("aws:SourceAccount").path("Ref").asText())
                .isEqualTo("AWS::AccountId");
    }

    private static JsonNode queuePolicyStatements(TemplateView template) {
        String queue = template.resources("AWS::SQS::Queue").keySet().stream()
                .filter(id -> id.startsWith("LandingNotificationsQueue")).findFirst().orElseThrow();
        return template.resources("AWS::SQS::QueuePolicy").values().stream()
                .filter(p -> p.path("Properties").path("Queues").toString().contains("\"" + queue + "\""))
                .findFirst().orElseThrow().path("Properties").path("PolicyDocument").path("Statement");
    }

    @Test
    void importSourcesAreTheLandingBucketAndNoRoleUnlessTheContextSaysOtherwise() {
        String landing = "s3://<Ref:" + bucketId("Landing") + ">/";
        assertThat(view.intakeFunctions()).isNotEmpty().allSatisfy((id, fn) -> {
            JsonNode env = fn.path("Properties").path("Environment").path("Variables");
            assertThat(joined(env.path("IMPORT_SOURCES"))).as(id).isEqualTo(landing);
            assertThat(env.has("IMPORT_ROLE_ARNS")).as(id).isFalse();
        });

        TemplateView configured = synth("import-context", Map.of(
                "importSources", "s3://{landing}/in/, s3://shared-data/exports/,s3://whole-bucket",
                "importRoleArns", READER + "," + WRITER));
        assertThat(configured.intakeFunctions()).isNotEmpty().allSatisfy((id, fn) -> {
            JsonNode env = fn.path("Properties").path("Environment").path("Variables");
            assertThat(joined(env.path("IMPORT_SOURCES"))).as(id)
                    .isEqualTo(landing + "in/,s3://shared-data/exports/,s3://whole-bucket/");
            assertThat(env.path("IMPORT_ROLE_ARNS").asText()).as(id).isEqualTo(READER + "," + WRITER);
        });
        TemplateView fromList = synth("import-context-list", Map.of("importSources", List.of("s3://shared-data/exports/")));
        assertThat(fromList.intakeFunctions()).allSatisfy((id, fn) -> assertThat(fn.path("Properties").path("Environment")
                .path("Variables").path("IMPORT_SOURCES").asText()).isEqualTo("s3://shared-data/exports/"));
    }

    @Test
    void aWrongImportSettingStopsTheSynthSayingWhy() {
        assertThatThrownBy(() -> synth("bad-folder", Map.of("importSources", "s3://shared-data/exports")))
                .hasMessageContaining("Context importSources 's3://shared-data/exports': s3://shared-data/exports is not a"
                        + " folder: end it with a slash (s3://shared-data/exports/)");
        assertThatThrownBy(() -> synth("bad-wildcard", Map.of("importSources", "s3://shared-data/*")))
                .hasMessageContaining("Context importSources");
        assertThatThrownBy(() -> synth("bad-empty", Map.of("importSources", "")))
                .hasMessageContaining("it names no location");
        assertThatThrownBy(() -> synth("bad-role", Map.of("importRoleArns", "arn:aws:iam::123456789012:role/*")))
                .hasMessageContaining("Context importRoleArns 'arn:aws:iam::123456789012:role/*': 'arn:aws:iam::123456789012:role/*'"
                        + " is not an IAM role ARN");
    }

    @Test
    void workingFilesLeftBehindExpireAfterAWeek() {
        JsonNode rules = view.resource(bucketId("Results")).path("Properties").path("LifecycleConfiguration").path("Rules");
        JsonNode work = java.util.stream.StreamSupport.stream(rules.spliterator(), false)
                .filter(r -> r.path("Prefix").asText().equals("work/")).findFirst().orElseThrow();
        assertThat(work.path("ExpirationInDays").asInt()).isEqualTo(7);
        assertThat(work.path("Status").asText()).isEqualTo("Enabled");
    }

    // ---- state machine ----

    @Test
    void stateMachineIsTheRepositoryAslWithEveryPlaceholderSubstituted() throws IOException {
        JsonNode machine = view.resource(stateMachineId()).path("Properties");
        assertThat(machine.path("StateMachineType").asText()).isEqualTo("STANDARD");
        // Errors (each naming its execution, i.e. its job), never the payloads: they can hold row values.
        assertThat(machine.path("LoggingConfiguration").path("Level").asText()).isEqualTo("ERROR");
        assertThat(machine.path("LoggingConfiguration").path("IncludeExecutionData").asBoolean(true)).isFalse();
        assertThat(machine.path("LoggingConfiguration").path("Destinations").get(0).path("CloudWatchLogsLogGroup")
                .path("LogGroupArn").has("Fn::GetAtt")).isTrue();
        assertThat(machine.path("TracingConfiguration").path("Enabled").asBoolean()).isTrue();

        // The deployed definition is the staged copy of statemachine/import-job.asl.json ...
        String key = machine.path("DefinitionS3Location").path("Key").asText();
        Path staged = Path.of(intake.app.getOutdir(), "asset." + key);
        String asl = Files.readString(SynthesizedIntake.SOURCES.stateMachineDefinition());
        assertThat(Files.readString(staged)).isEqualTo(asl);

        // ... whose placeholders are exactly the substitutions CloudFormation makes ...
        JsonNode substitutions = machine.path("DefinitionSubstitutions");
        Set<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(asl);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        Set<String> substituted = new TreeSet<>();
        substitutions.fieldNames().forEachRemaining(substituted::add);
        assertThat(substituted).isEqualTo(placeholders);

        // ... each task's ARN with the ARN (Ref) of that task's alias live ...
        for (WorkflowTasks.Task task : WorkflowTasks.ALL) {
            assertThat(asl).as(task.name()).contains("${" + task.substitutionKey() + "}");
            String alias = view.liveAliasOf(view.functionIdByHandler(task.lambdaHandler()));
            assertThat(substitutions.path(task.substitutionKey()).path("Ref").asText()).as(task.name()).isEqualTo(alias);
        }

        // ... so that nothing is left to substitute.
        String deployed = asl;
        for (String name : substituted) {
            deployed = deployed.replace("${" + name + "}", joined(substitutions.path(name)));
        }
        assertThat(deployed).doesNotContain("${");
        assertThat(SynthesizedIntake.MAPPER.readTree(deployed).path("States").size()).isPositive();
        // ... and what is deployed passes the local executor's strict checks: the same ASL runs in both.
        assertThat(dev.intake.local.asl.StateMachine.parse(deployed, java.util.Map.of()).definition()
                .path("StartAt").asText()).isEqualTo("Begin");
    }

    @Test
    void recordsAreDeletedByAStateMachineOfTheirOwnThatOnlyTheDeleteRecordsFunctionServes() throws IOException {
        JsonNode machine = view.resource(deleteMachineId()).path("Properties");
        assertThat(machine.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(machine.path("LoggingConfiguration").path("IncludeExecutionData").asBoolean(true)).isFalse();
        String key = machine.path("DefinitionS3Location").path("Key").asText();
        String asl = Files.readString(SynthesizedIntake.SOURCES.deleteDefinition());
        assertThat(Files.readString(Path.of(intake.app.getOutdir(), "asset." + key))).isEqualTo(asl);
        String alias = view.liveAliasOf(view.functionIdByHandler(WorkflowTasks.DELETE_RECORDS.lambdaHandler()));
        assertThat(machine.path("DefinitionSubstitutions").toString())
                .isEqualTo("{\"DeleteRecordsFunctionArn\":{\"Ref\":\"" + alias + "\"}}");
        String roleId = machine.path("RoleArn").path("Fn::GetAtt").path(0).asText();
        List<JsonNode> invokes = view.statementsOfRole(roleId).stream()
                .filter(s -> actionsOf(s).stream().anyMatch(a -> a.startsWith("lambda:"))).toList();
        assertThat(invokes).singleElement().satisfies(s -> assertThat(resourcesOf(s)).extracting(r -> r.path("Ref").asText())
                .containsExactly(alias));
        // Only DeleteDataset among the routes starts deletions.
        for (Route route : Routes.ALL) {
            JsonNode env = view.functionProperties(route.lambdaHandler()).path("Environment").path("Variables");
            assertThat(env.has("DELETE_STATE_MACHINE_ARN")).as(route.path()).isEqualTo(route.operation().equals("DeleteDataset"));
        }
    }

    @Test
    void exportsRunOnAStateMachineOfTheirOwnThatOnlyTheExportTasksServeAndOnlyCreateDatasetExportJobStarts()
            throws IOException {
        String machineId = view.resources("AWS::StepFunctions::StateMachine").keySet().stream()
                .filter(id -> id.startsWith("ExportJob")).findFirst().orElseThrow();
        JsonNode machine = view.resource(machineId).path("Properties");
        assertThat(machine.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(machine.path("LoggingConfiguration").path("IncludeExecutionData").asBoolean(true)).isFalse();
        String key = machine.path("DefinitionS3Location").path("Key").asText();
        String asl = Files.readString(SynthesizedIntake.SOURCES.exportDefinition());
        assertThat(Files.readString(Path.of(intake.app.getOutdir(), "asset." + key))).isEqualTo(asl);
        Set<String> aliases = new TreeSet<>();
        java.util.Map<String, String> substitutions = new java.util.TreeMap<>();
        for (WorkflowTasks.Task task : WorkflowTasks.EXPORT) {
            String alias = view.liveAliasOf(view.functionIdByHandler(task.lambdaHandler()));
            aliases.add(alias);
            substitutions.put(task.substitutionKey(), alias);
            assertThat(asl).contains("${" + task.substitutionKey() + "}");
        }
        java.util.Map<String, String> deployed = new java.util.TreeMap<>();
        machine.path("DefinitionSubstitutions").fields().forEachRemaining(e -> deployed.put(e.getKey(),
                e.getValue().path("Ref").asText()));
        assertThat(deployed).isEqualTo(substitutions);
        String roleId = machine.path("RoleArn").path("Fn::GetAtt").path(0).asText();
        List<JsonNode> invokes = view.statementsOfRole(roleId).stream()
                .filter(s -> actionsOf(s).stream().anyMatch(a -> a.startsWith("lambda:"))).toList();
        assertThat(invokes).singleElement().satisfies(s -> assertThat(resourcesOf(s)).extracting(r -> r.path("Ref").asText())
                .containsExactlyInAnyOrderElementsOf(aliases));
        for (Route route : Routes.ALL) {
            JsonNode env = view.functionProperties(route.lambdaHandler()).path("Environment").path("Variables");
            boolean starts = route.operation().equals("CreateDatasetExportJob");
            assertThat(env.has(dev.intake.app.Services.EXPORT_STATE_MACHINE_VARIABLE)).as(route.path()).isEqualTo(starts);
            if (starts) {
                assertThat(env.path(dev.intake.app.Services.EXPORT_STATE_MACHINE_VARIABLE).path("Ref").asText())
                        .isEqualTo(machineId);
            }
        }
        for (WorkflowTasks.Task task : WorkflowTasks.EXPORT) {
            JsonNode fn = view.functionProperties(task.lambdaHandler());
            assertThat(fn.path("MemorySize").asInt()).as(task.name()).isEqualTo(task.longRunning() ? 2048 : 1024);
        }
    }

    @Test
    void chunkManifestsLeftBehindExpireAfterAWeek() {
        JsonNode rules = view.resource(bucketId("Results")).path("Properties").path("LifecycleConfiguration").path("Rules");
        JsonNode manifests = java.util.stream.StreamSupport.stream(rules.spliterator(), false)
                .filter(r -> r.path("Prefix").asText().equals("manifests/")).findFirst().orElseThrow();
        assertThat(manifests.path("ExpirationInDays").asInt()).isEqualTo(7);
        assertThat(manifests.path("Status").asText()).isEqualTo("Enabled");
    }

    /**
     * The import machine's Distributed Maps: its role may start child executions of the machine itself,
     * describe and stop them, list, describe and update its Map Runs, and read the chunk manifests; in a
     * policy of its own (the role's default policy would make the machine depend on its own ARN).
     */
    @Test
    void stateMachineRoleMayRunItsDistributedMapsAndNothingMore() {
        String machineId = stateMachineId();
        String roleId = view.resource(machineId).path("Properties").path("RoleArn").path("Fn::GetAtt").path(0).asText();
        String results = bucketId("Results");
        Set<String> statements = new TreeSet<>();
        for (JsonNode st : view.statementsOfRole(roleId)) {
            List<String> actions = actionsOf(st);
            if (actions.stream().anyMatch(a -> a.startsWith("states:") || a.startsWith("s3:"))) {
                assertThat(st.path("Effect").asText()).isEqualTo("Allow");
                assertThat(st.has("Condition")).isFalse();
                statements.add(String.join(",", new TreeSet<>(actions)) + " on "
                        + String.join(",", resourcesOf(st).stream().map(TemplateView::joined).sorted().toList())
                        .replace(machineId, "MACHINE").replace(results, "RESULTS"));
            }
        }
        String arn = "arn:<Ref:AWS::Partition>:states:<Ref:AWS::Region>:<Ref:AWS::AccountId>:";
        assertThat(statements).containsExactlyInAnyOrder(
                "states:StartExecution on <Ref:MACHINE>",
                "states:DescribeExecution,states:StopExecution on " + arn + "execution:<GetAtt:MACHINE.Name>/*",
                "states:ListMapRuns on " + arn + "execution:<GetAtt:MACHINE.Name>:*",
                "states:DescribeMapRun,states:UpdateMapRun on " + arn + "mapRun:<GetAtt:MACHINE.Name>/*",
                "s3:GetObject on <GetAtt:RESULTS.Arn>/manifests/*");
        // The other machines have no Distributed Map and get none of it.
        for (String other : List.of(deleteMachineId(), exportMachineId())) {
            String otherRole = view.resource(other).path("Properties").path("RoleArn").path("Fn::GetAtt").path(0).asText();
            assertThat(view.statementsOfRole(otherRole)).flatExtracting(TemplateView::actionsOf)
                    .noneMatch(a -> a.startsWith("states:") || a.startsWith("s3:"));
        }
    }

    @Test
    void theDistributedMapsMaxConcurrencyIsTenUnlessTheContextSaysOtherwise() {
        assertThat(view.resource(stateMachineId()).path("Properties").path("DefinitionSubstitutions")
                .path("IngestConcurrency").asText()).isEqualTo("10");
        TemplateView wider = synth("ingest-concurrency", Map.of("ingestConcurrency", "250"));
        String machine = wider.resources("AWS::StepFunctions::StateMachine").keySet().stream()
                .filter(id -> id.startsWith("ImportJob")).findFirst().orElseThrow();
        assertThat(wider.resource(machine).path("Properties").path("DefinitionSubstitutions").path("IngestConcurrency")
                .asText()).isEqualTo("250");
        assertThatThrownBy(() -> synth("ingest-concurrency-0", Map.of("ingestConcurrency", "0")))
                .hasMessageContaining("Context ingestConcurrency 0 is out of range: chunks ingested at once are 1 to 10000");
        assertThatThrownBy(() -> synth("ingest-concurrency-x", Map.of("ingestConcurrency", "many")))
                .hasMessageContaining("Context ingestConcurrency 'many' is not a whole number");
    }

    @Test
    void stateMachineRoleMayInvokeExactlyTheTaskAliases() {
        String roleId = view.resource(stateMachineId()).path("Properties").path("RoleArn").path("Fn::GetAtt").path(0).asText();
        List<JsonNode> invokes = view.statementsOfRole(roleId).stream()
                .filter(s -> actionsOf(s).stream().anyMatch(a -> a.startsWith("lambda:"))).toList();
        assertThat(invokes).hasSize(1);
        assertThat(actionsOf(invokes.get(0))).containsExactly("lambda:InvokeFunction");
        Set<String> taskAliases = new TreeSet<>();
        WorkflowTasks.ALL.forEach(t -> taskAliases.add(view.liveAliasOf(view.functionIdByHandler(t.lambdaHandler()))));
        Set<String> resources = new TreeSet<>();
        resourcesOf(invokes.get(0)).forEach(r -> resources.add(r.path("Ref").asText()));
        assertThat(resources).isEqualTo(taskAliases);
    }

    // ---- data ----

    @Test
    void tablesAreOnDemandWithPitrAndEncryptionAndSurviveTheStack() {
        Map<String, JsonNode> tables = view.resources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(2);
        tables.forEach((id, table) -> {
            JsonNode p = table.path("Properties");
            assertThat(table.path("DeletionPolicy").asText()).as(id).isEqualTo("Retain");
            assertThat(p.path("BillingMode").asText()).as(id).isEqualTo("PAY_PER_REQUEST");
            assertThat(p.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()).as(id)
                    .isTrue();
            assertThat(p.path("SSESpecification").path("SSEEnabled").asBoolean()).as(id).isTrue();
            assertThat(p.path("DeletionProtectionEnabled").asBoolean()).as(id).isTrue();
            assertThat(p.path("KeySchema").toString()).as(id).isEqualTo(
                    "[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]");
            assertThat(p.has("GlobalSecondaryIndexes")).isFalse();
        });
    }

    @Test
    void bucketsAreEncryptedPrivateVersionedAndDenyNonTls() {
        Map<String, JsonNode> buckets = view.resources("AWS::S3::Bucket");
        assertThat(buckets).hasSize(3);
        Map<String, JsonNode> policies = view.resources("AWS::S3::BucketPolicy");
        buckets.forEach((id, bucket) -> {
            JsonNode p = bucket.path("Properties");
            assertThat(p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                    .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).as(id).isEqualTo("AES256");
            JsonNode block = p.path("PublicAccessBlockConfiguration");
            for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
                assertThat(block.path(setting).asBoolean()).as(id + " " + setting).isTrue();
            }
            assertThat(p.path("VersioningConfiguration").path("Status").asText()).as(id).isEqualTo("Enabled");
            List<JsonNode> denies = new ArrayList<>();
            policies.values().stream().map(policy -> policy.path("Properties"))
                    .filter(policy -> policy.path("Bucket").path("Ref").asText().equals(id))
                    .forEach(policy -> policy.path("PolicyDocument").path("Statement").forEach(denies::add));
            assertThat(denies).as(id).anyMatch(s -> s.path("Effect").asText().equals("Deny")
                    && s.path("Condition").path("Bool").path("aws:SecureTransport").asText().equals("false")
                    && actionsOf(s).contains("s3:*"));
        });
        for (String name : List.of("Landing", "Results")) {
            assertThat(view.resource(bucketId(name)).path("Properties").path("LoggingConfiguration")
                    .path("DestinationBucketName").path("Ref").asText()).as(name).isEqualTo(bucketId("AccessLogs"));
        }
    }

    @Test
    void landingNotificationsGoToAnEncryptedQueueWithADeadLetterQueueAndAlarms() {
        Map<String, JsonNode> queues = view.resources("AWS::SQS::Queue");
        queues.keySet().removeIf(id -> !id.startsWith("LandingNotifications"));
        assertThat(queues).hasSize(2);
        queues.forEach((id, q) -> assertThat(q.path("Properties").path("SqsManagedSseEnabled").asBoolean()).as(id).isTrue());
        String queueId = queues.entrySet().stream().filter(e -> e.getValue().path("Properties").has("RedrivePolicy"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String dlqId = queues.keySet().stream().filter(id -> !id.equals(queueId)).findFirst().orElseThrow();
        assertThat(view.resource(queueId).path("Properties").path("RedrivePolicy").path("deadLetterTargetArn")
                .path("Fn::GetAtt").path(0).asText()).isEqualTo(dlqId);
        view.resources("AWS::SQS::QueuePolicy").values().forEach(policy -> assertThat(
                policy.path("Properties").path("PolicyDocument").path("Statement").toString()).contains("aws:SecureTransport"));
        assertThat(view.resources("AWS::SQS::QueuePolicy").keySet()).filteredOn(id -> id.startsWith("LandingNotifications"))
                .hasSize(2);

        JsonNode notifications = single("Custom::S3BucketNotifications");
        assertThat(notifications.path("BucketName").path("Ref").asText()).isEqualTo(bucketId("Landing"));
        JsonNode queueConfig = notifications.path("NotificationConfiguration").path("QueueConfigurations").get(0);
        assertThat(queueConfig.path("Events").toString()).isEqualTo("[\"s3:ObjectCreated:*\"]");
        assertThat(queueConfig.path("QueueArn").path("Fn::GetAtt").path(0).asText()).isEqualTo(queueId);

        Map<String, JsonNode> alarms = view.resources("AWS::CloudWatch::Alarm");
        assertThat(alarms.values()).anyMatch(a -> a.path("Properties").path("MetricName").asText()
                .equals("ApproximateNumberOfMessagesVisible") && a.path("Properties").path("Dimensions").get(0)
                .path("Value").path("Fn::GetAtt").path(0).asText().equals(dlqId));
        assertThat(alarms.values()).anyMatch(a -> a.path("Properties").path("MetricName").asText().equals("ExecutionsFailed")
                && a.path("Properties").path("Dimensions").get(0).path("Value").path("Ref").asText().equals(stateMachineId()));
    }

    @Test
    void outputsNameWhatADeployerNeeds() {
        assertThat(iterable(view.template.path("Outputs").fieldNames()))
                .containsExactlyInAnyOrder("ApiUrl", "LandingBucketName", "ResultsBucketName", "StateMachineArn",
                        "AlarmTopicArn", "IngestRoleArns", "JobEventBusName");
    }

    // ---- state-change events ----

    @Test
    void jobStateChangesGoFromTheControlTablesStreamThroughTheFunctionToTheDefaultBus() throws IOException {
        JsonNode control = view.resource(tableId("Control")).path("Properties");
        assertThat(control.path("StreamSpecification").path("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(view.resource(tableId("Records")).path("Properties").has("StreamSpecification")).isFalse();

        String functionId = view.functionIdByHandler(WorkflowTasks.PUBLISH_JOB_EVENTS.lambdaHandler());
        assertThat(view.resources("AWS::Lambda::EventSourceMapping")).as("the stream's and the landing queue's").hasSize(2);
        JsonNode mapping = mappingFrom(tableId("Control"));
        assertThat(mapping.path("EventSourceArn").path("Fn::GetAtt").toString())
                .isEqualTo("[\"" + tableId("Control") + "\",\"StreamArn\"]");
        assertThat(joined(mapping.path("FunctionName"))).contains("{\"Ref\":\"" + view.liveAliasOf(functionId) + "\"}")
                .endsWith(":live");
        assertThat(mapping.path("StartingPosition").asText()).isEqualTo("TRIM_HORIZON");
        assertThat(mapping.path("BatchSize").asInt()).isEqualTo(100);
        assertThat(mapping.path("BisectBatchOnFunctionError").asBoolean()).isTrue();
        assertThat(mapping.path("MaximumRetryAttempts").asInt()).isEqualTo(10);
        assertThat(mapping.path("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        // Only job items invoke it: not datasets, queue entries, chunk results or records.
        assertThat(mapping.path("FilterCriteria").path("Filters").size()).isEqualTo(1);
        assertThat(SynthesizedIntake.MAPPER.readTree(mapping.path("FilterCriteria").path("Filters").get(0).path("Pattern")
                .asText())).isEqualTo(SynthesizedIntake.MAPPER.readTree(
                        "{\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":[{\"prefix\":\"JOB#\"}]},\"sk\":{\"S\":[\"JOB\"]}}}}"));
        String failedRecords = mapping.path("DestinationConfig").path("OnFailure").path("Destination").path("Fn::GetAtt")
                .path(0).asText();
        assertThat(failedRecords).startsWith("JobEventsFailedRecords");
        assertThat(view.resource(failedRecords).path("Properties").path("SqsManagedSseEnabled").asBoolean()).isTrue();
        assertThat(view.resources("AWS::CloudWatch::Alarm").values()).anyMatch(a -> a.path("Properties").path("MetricName")
                .asText().equals("ApproximateNumberOfMessagesVisible") && a.path("Properties").path("Dimensions").get(0)
                .path("Value").path("Fn::GetAtt").path(0).asText().equals(failedRecords));

        assertThat(view.resources("AWS::Events::EventBus")).isEmpty();
        assertThat(view.functionProperties(WorkflowTasks.PUBLISH_JOB_EVENTS.lambdaHandler()).path("Environment")
                .path("Variables").path("EVENT_BUS_NAME").asText()).isEqualTo("default");
        assertThat(view.template.path("Outputs").path("JobEventBusName").path("Value").asText()).isEqualTo("default");
        // No other function may put events (the execution-ended rule's target is invoked by EventBridge).
        view.intakeFunctions().keySet().stream().filter(id -> !id.equals(functionId)).forEach(id -> assertThat(
                actions(view.statementsOf(id))).as(id).noneMatch(a -> a.startsWith("events:")));
    }

    @Test
    void aBusNamedInTheContextIsMadeByTheStackAndIsTheOnlyOneTheFunctionMayPutOn() {
        TemplateView named = synth("event-bus", Map.of("eventBusName", "intake-events"));
        Map<String, JsonNode> buses = named.resources("AWS::Events::EventBus");
        assertThat(buses).hasSize(1);
        assertThat(buses.values().iterator().next().path("Properties").path("Name").asText()).isEqualTo("intake-events");
        assertThat(named.functionProperties(WorkflowTasks.PUBLISH_JOB_EVENTS.lambdaHandler()).path("Environment")
                .path("Variables").path("EVENT_BUS_NAME").asText()).isEqualTo("intake-events");
        assertThat(policies(named).get("PublishJobEvents")).filteredOn(st -> st.startsWith("events:"))
                .containsExactly("events:PutEvents on <GetAtt:BUS.Arn>");
    }

    @Test
    void aWrongBusNameStopsTheSynthSayingWhy() {
        assertThatThrownBy(() -> synth("bad-bus", Map.of("eventBusName", "intake/events")))
                .hasMessageContaining("Context eventBusName 'intake/events' is not an EventBridge bus name");
    }

    // ---- helpers ----

    static final String READER = "arn:aws:iam::123456789012:role/reader";
    static final String WRITER = "arn:aws:iam::123456789012:role/team/writer";

    /** The app synthesized with more context (apart from the shared synth: that one has none). */
    private static TemplateView synth(String name, Map<String, Object> context) {
        var app = SynthesizedIntake.newApp(name);
        context.forEach(app.getNode()::setContext);
        IntakeStack stack = IntakeApp.addTo(app, SynthesizedIntake.SOURCES);
        return TemplateView.of(stack);
    }

    /** The one event source mapping that reads the resource (its EventSourceArn is an attribute of it). */
    private JsonNode mappingFrom(String resourceId) {
        List<JsonNode> found = view.resources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(m -> m.path("Properties"))
                .filter(p -> p.path("EventSourceArn").path("Fn::GetAtt").path(0).asText().equals(resourceId)).toList();
        assertThat(found).as("event source mappings reading %s", resourceId).hasSize(1);
        return found.get(0);
    }

    private JsonNode single(String type) {
        Map<String, JsonNode> found = view.resources(type);
        assertThat(found).as(type).hasSize(1);
        return found.values().iterator().next().path("Properties");
    }

    /** The import state machine (the other one deletes records). */
    private String stateMachineId() {
        Map<String, JsonNode> machines = view.resources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(3);
        return machines.keySet().stream().filter(id -> id.startsWith("ImportJob")).findFirst().orElseThrow();
    }

    private String deleteMachineId() {
        return view.resources("AWS::StepFunctions::StateMachine").keySet().stream()
                .filter(id -> id.startsWith("DeleteRecords")).findFirst().orElseThrow();
    }

    private String exportMachineId() {
        return view.resources("AWS::StepFunctions::StateMachine").keySet().stream()
                .filter(id -> id.startsWith("ExportJob")).findFirst().orElseThrow();
    }

    private String tableId(String name) {
        return view.resources("AWS::DynamoDB::Table").keySet().stream().filter(id -> id.startsWith("Tables" + name))
                .findFirst().orElseThrow();
    }

    private String bucketId(String name) {
        return view.resources("AWS::S3::Bucket").keySet().stream().filter(id -> id.startsWith("Buckets" + name))
                .findFirst().orElseThrow();
    }

    private static Route route(String operation) {
        return Routes.ALL.stream().filter(r -> r.operation().equals(operation)).findFirst().orElseThrow();
    }

    /**
     * Function name (as in the route and task lists) to its role's statements, each written
     * "actions on resources [if condition]" with the tables, buckets and state machine by name;
     * the statements every function has for its own log group and X-Ray are left out.
     */
    private static Map<String, Set<String>> policies(TemplateView template) {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        template.resources("AWS::DynamoDB::Table").keySet().forEach(id -> names.put(id, id.startsWith("TablesControl")
                ? "CONTROL" : "RECORDS"));
        template.resources("AWS::S3::Bucket").keySet().forEach(id -> names.put(id, id.startsWith("BucketsLanding") ? "LANDING"
                : id.startsWith("BucketsResults") ? "RESULTS" : "ACCESS_LOGS"));
        template.resources("AWS::StepFunctions::StateMachine").keySet().forEach(id -> names.put(id,
                id.startsWith("DeleteRecords") ? "DELETE_MACHINE" : id.startsWith("ExportJob") ? "EXPORT_MACHINE" : "STATE_MACHINE"));
        template.resources("AWS::SQS::Queue").keySet().forEach(id -> names.put(id, id.startsWith("LandingNotificationsQueue")
                ? "LANDING_QUEUE" : id));
        template.resources("AWS::SQS::Queue").keySet().stream().filter(id -> id.startsWith("JobEventsFailedRecords"))
                .forEach(id -> names.put(id, "FAILED_RECORDS"));
        template.resources("AWS::Events::EventBus").keySet().forEach(id -> names.put(id, "BUS"));
        Map<String, String> functionNames = new java.util.HashMap<>();
        Routes.ALL.forEach(r -> functionNames.put(r.lambdaHandler(), IntakeStack.functionId(r)));
        WorkflowTasks.ALL.forEach(t -> functionNames.put(t.lambdaHandler(), t.name()));
        ScheduledTasks.ALL.forEach(t -> functionNames.put(t.lambdaHandler(), t.name()));
        functionNames.put(WorkflowTasks.EXECUTION_ENDED.lambdaHandler(), WorkflowTasks.EXECUTION_ENDED.name());
        functionNames.put(WorkflowTasks.DELETE_RECORDS.lambdaHandler(), WorkflowTasks.DELETE_RECORDS.name());
        WorkflowTasks.EXPORT.forEach(t -> functionNames.put(t.lambdaHandler(), t.name()));
        functionNames.put(dev.intake.triggers.Triggers.S3_ARRIVALS.lambdaHandler(), dev.intake.triggers.Triggers.S3_ARRIVALS.name());
        functionNames.put(WorkflowTasks.PUBLISH_JOB_EVENTS.lambdaHandler(), WorkflowTasks.PUBLISH_JOB_EVENTS.name());
        functionNames.put(ScheduledTasks.RUN_SCHEDULED_SOURCE.lambdaHandler(), ScheduledTasks.RUN_SCHEDULED_SOURCE.name());
        template.resources("AWS::Scheduler::ScheduleGroup").keySet().forEach(id -> names.put(id, "SCHEDULE_GROUP"));
        template.resources("AWS::IAM::Role").keySet().stream().filter(id -> id.startsWith("SourceSchedulesSchedulerRole"))
                .forEach(id -> names.put(id, "SCHEDULER_ROLE"));

        Map<String, Set<String>> policies = new java.util.TreeMap<>();
        template.intakeFunctions().forEach((id, fn) -> {
            Set<String> statements = new TreeSet<>();
            for (JsonNode st : template.statementsOf(id)) {
                assertThat(st.path("Effect").asText()).isEqualTo("Allow");
                List<String> actions = actionsOf(st);
                if (actions.stream().allMatch(a -> a.startsWith("logs:") || a.startsWith("xray:"))) {
                    continue;
                }
                String rendered = String.join(",", new TreeSet<>(actions)) + " on "
                        + String.join(",", resourcesOf(st).stream().map(TemplateView::joined).sorted().toList())
                        + (st.has("Condition") ? " if " + st.path("Condition") : "");
                for (var name : names.entrySet()) {
                    rendered = rendered.replace(name.getKey(), name.getValue());
                }
                assertThat(statements.add(rendered)).as("%s has %s twice", id, rendered).isTrue();
            }
            policies.put(functionNames.get(fn.path("Properties").path("Handler").asText()), statements);
        });
        return policies;
    }

    private static List<String> actions(List<JsonNode> statements) {
        List<String> actions = new ArrayList<>();
        statements.forEach(s -> actions.addAll(actionsOf(s)));
        return actions;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
