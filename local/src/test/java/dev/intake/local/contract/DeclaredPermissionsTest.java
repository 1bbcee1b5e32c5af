package dev.intake.local.contract;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.CONTROL_WRITE;
import static dev.intake.app.Permission.PUBLISH_JOB_EVENTS;
import static dev.intake.app.Permission.MANAGE_SCHEDULES;
import static dev.intake.app.Permission.READ_SOURCES;
import static dev.intake.app.Permission.RECORDS_DELETE;
import static dev.intake.app.Permission.RECORDS_READ;
import static dev.intake.app.Permission.RECORDS_WRITE;
import static dev.intake.app.Permission.REPORTS_WRITE;
import static dev.intake.app.Permission.SIGNING_KEY_CREATE;
import static dev.intake.app.Permission.WORK_FILES_DELETE;
import static dev.intake.app.Permission.WORK_FILES_READ;
import static dev.intake.app.Permission.WORK_FILES_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.adapters.dynamodb.CapacityMeter;
import dev.intake.adapters.dynamodb.DynamoSigningKeys;
import dev.intake.adapters.dynamodb.DynamoStorage;
import dev.intake.adapters.dynamodb.TableNames;
import dev.intake.adapters.s3.S3ObjectStore;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.api.JsonApiHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.core.ArrivalSettings;
import dev.intake.triggers.S3EventTrigger;
import dev.intake.triggers.Triggers;
import dev.intake.app.Deployment;
import dev.intake.app.Permission;
import dev.intake.app.Services;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
import dev.intake.core.ImportWorkflow;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import dev.intake.local.EmbeddedS3;
import dev.intake.workflow.ScheduledTasks;
import dev.intake.workflow.WorkflowTask;
import dev.intake.workflow.WorkflowTasks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The permissions each route and task declares (dev.intake.app.Permission, which the CDK stack
 * turns into exactly those IAM statements: IntakeStackTest) cover every call its handler makes.
 * Every handler runs on the DynamoDB adapters (dynalite, or a real DynamoDB: see DynamoTarget) and
 * S3 with clients of its own that record each call; an import's whole life is driven through the
 * task handlers (FULL, INCREMENTAL with a second pass, a failed one, a replaced generation). Each
 * call is mapped to the permission whose IAM action authorizes it (GetObject and HeadObject:
 * s3:GetObject, ListObjectsV2 and HeadBucket: s3:ListBucket, DeleteObjects: s3:DeleteObject, a
 * transaction's parts: their item actions); a call no declared permission covers fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclaredPermissionsTest {
    private static final String SCHEMA = """
            {"type":"record","name":"Items","fields":[{"name":"ID","type":"string"},{"name":"V","type":"int"}]}""";
    private static final String DATA = "perm-data";
    private static final String RESULTS = "perm-results";
    private static final String ARN = "arn:aws:personalize:us-east-1:000000000000:";
    private static final String FARN = "arn:aws:forecast:us-east-1:000000000000:";
    /** The role Forecast's import jobs name (its S3Config requires one). */
    private static final String FORECAST_ROLE = "arn:aws:iam::000000000000:role/forecast";
    /**
     * Declared but not reached here: a chunk deletes its job's FULL generation only when the job
     * ended while the chunk was writing (a race this test does not stage).
     */
    private static final Map<String, Set<Permission>> NOT_EXERCISED = Map.of("IngestChunk", EnumSet.of(RECORDS_DELETE),
            // the signing key is made by whichever paging call comes first: here ListDatasets
            "IntakeListDataSources", EnumSet.of(SIGNING_KEY_CREATE),
            "ForecastListDatasetGroups", EnumSet.of(SIGNING_KEY_CREATE), "ForecastListDatasets", EnumSet.of(SIGNING_KEY_CREATE),
            "ForecastListDatasetImportJobs", EnumSet.of(SIGNING_KEY_CREATE),
            "PersonalizeListSchemas", EnumSet.of(SIGNING_KEY_CREATE), "PersonalizeListDatasetGroups",
            EnumSet.of(SIGNING_KEY_CREATE), "PersonalizeListDatasets", EnumSet.of(SIGNING_KEY_CREATE),
            "PersonalizeListDatasetImportJobs", EnumSet.of(SIGNING_KEY_CREATE),
            "PersonalizeListDatasetExportJobs", EnumSet.of(SIGNING_KEY_CREATE));
    /** As above, for Lookout for Equipment's listings (the signing key exists by the time they page). */
    private static final Map<String, Set<Permission>> NOT_EXERCISED_LOOKOUT = Map.of(
            "LookoutequipmentListDatasets", EnumSet.of(SIGNING_KEY_CREATE),
            "LookoutequipmentListDataIngestionJobs", EnumSet.of(SIGNING_KEY_CREATE));

    /**
     * DataZone's paging calls: the signing key was made by ListDatasets before them; and the run
     * listings write only when they are the first to see a run's job ended (GetDataSourceRun is, here).
     */
    private static final Map<String, Set<Permission>> NOT_EXERCISED_DATAZONE = Map.of(
            "DatazoneListDomains", EnumSet.of(SIGNING_KEY_CREATE), "DatazoneListDataSources", EnumSet.of(SIGNING_KEY_CREATE),
            "DatazoneListDataSourceRuns", EnumSet.of(SIGNING_KEY_CREATE, CONTROL_WRITE),
            "DatazoneListDataSourceRunActivities", EnumSet.of(SIGNING_KEY_CREATE, CONTROL_WRITE));

    private final ExecutorService writers = Executors.newFixedThreadPool(4);
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> deletionsStarted = new CopyOnWriteArrayList<>();
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private final List<String> exportsStarted = new CopyOnWriteArrayList<>();
    /** Jobs whose latest execution ended without a status-change event reaching Intake. */
    private final Map<String, dev.intake.core.ports.WorkflowStarter.Execution> lostExecutions = new ConcurrentHashMap<>();
    /** Calls no permission covers (recorded, not thrown: some run on the record writers' threads). */
    private static final List<String> UNCOVERED_CALLS = new CopyOnWriteArrayList<>();
    /** Function (handler class) to the permissions its calls needed. */
    private final Map<String, Set<Permission>> used = new ConcurrentHashMap<>();
    private final Map<String, Set<Permission>> declared = new TreeMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, Object> handlers = new ConcurrentHashMap<>();
    private TableNames tables;
    private EmbeddedS3 s3;

    @BeforeAll
    void start() throws Exception {
        tables = DynamoTarget.newTables();
        s3 = EmbeddedS3.inMemory(0);
        s3.createBucket(DATA);
        s3.createBucket(RESULTS);
        Routes.ALL.forEach(r -> {
            declared.put(r.handlerClass(), r.permissions());
            // named as the stack names their functions: three dialects share operation names
            names.put(r.handlerClass(), Character.toUpperCase(r.dialect().pathSegment().charAt(0))
                    + r.dialect().pathSegment().substring(1) + r.operation());
        });
        WorkflowTasks.ALL.forEach(t -> {
            declared.put(t.handlerClass(), t.permissions());
            names.put(t.handlerClass(), t.name());
        });
        WorkflowTasks.EXPORT.forEach(t -> {
            declared.put(t.handlerClass(), t.permissions());
            names.put(t.handlerClass(), t.name());
        });
        declared.put(WorkflowTasks.DELETE_RECORDS.handlerClass(), WorkflowTasks.DELETE_RECORDS.permissions());
        names.put(WorkflowTasks.DELETE_RECORDS.handlerClass(), WorkflowTasks.DELETE_RECORDS.name());
        declared.put(WorkflowTasks.EXECUTION_ENDED.handlerClass(), WorkflowTasks.EXECUTION_ENDED.permissions());
        names.put(WorkflowTasks.EXECUTION_ENDED.handlerClass(), WorkflowTasks.EXECUTION_ENDED.name());
        ScheduledTasks.ALL.forEach(t -> {
            declared.put(t.handlerClass(), t.permissions());
            names.put(t.handlerClass(), t.name());
        });
        declared.put(Triggers.S3_ARRIVALS.handlerClass(), Triggers.S3_ARRIVALS.permissions());
        names.put(Triggers.S3_ARRIVALS.handlerClass(), Triggers.S3_ARRIVALS.name());
        declared.put(WorkflowTasks.PUBLISH_JOB_EVENTS.handlerClass(), WorkflowTasks.PUBLISH_JOB_EVENTS.permissions());
        names.put(WorkflowTasks.PUBLISH_JOB_EVENTS.handlerClass(), WorkflowTasks.PUBLISH_JOB_EVENTS.name());
        declared.put(ScheduledTasks.RUN_SCHEDULED_SOURCE.handlerClass(), ScheduledTasks.RUN_SCHEDULED_SOURCE.permissions());
        names.put(ScheduledTasks.RUN_SCHEDULED_SOURCE.handlerClass(), ScheduledTasks.RUN_SCHEDULED_SOURCE.name());
    }

    @AfterAll
    void stop() throws Exception {
        writers.shutdownNow();
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void everyCallOfEveryHandlerIsCoveredByWhatItDeclaresAndEveryDeclarationIsUsed() throws Exception {
        // Datasets, and a listing in pages (the first page makes the NextToken signing key).
        api("CreateDataset", "{\"name\":\"items\",\"schema\":" + Json.MAPPER.writeValueAsString(SCHEMA) + ",\"keyFields\":[\"ID\"]}");
        api("CreateDataset", "{\"name\":\"other\",\"schema\":" + Json.MAPPER.writeValueAsString(SCHEMA) + ",\"keyFields\":[\"ID\"]}");
        JsonNode page = api("ListDatasets", "{\"maxResults\":1}");
        api("ListDatasets", "{\"maxResults\":1,\"nextToken\":\"" + page.get("nextToken").asText() + "\"}");
        api("DescribeDataset", "{\"datasetArn\":\"" + ARN + "dataset/items\"}");

        // Data sources (on the other dataset): made with a schedule, changed, run by hand and by the
        // schedule (whose jobs queue on that dataset), listed, deleted with the schedule.
        String source = ARN + "data-source/nightly";
        api("CreateDataSource", "{\"name\":\"nightly\",\"datasetArn\":\"" + ARN + "dataset/other\",\"dataLocation\":"
                + "\"s3://" + DATA + "/\",\"schedule\":{\"expression\":\"cron(0 2 * * ? *)\"}}");
        api("DescribeDataSource", "{\"dataSourceArn\":\"" + source + "\"}");
        api("UpdateDataSource", "{\"dataSourceArn\":\"" + source + "\",\"enabled\":true}");
        api("ListDataSources", "{\"maxResults\":1}");
        api("StartDataSourceRun", "{\"dataSourceArn\":\"" + source + "\"}");
        // The scheduled run on a dataset of its own, so that its job is first in the queue and starts.
        api("CreateDataset", "{\"name\":\"scheduled\",\"schema\":" + Json.MAPPER.writeValueAsString(SCHEMA)
                + ",\"keyFields\":[\"ID\"]}");
        api("UpdateDataSource", "{\"dataSourceArn\":\"" + source + "\",\"datasetArn\":\"" + ARN + "dataset/scheduled\"}");
        task("RunScheduledSource", "{\"dataSourceName\":\"nightly\",\"scheduledTime\":\"2026-11-23T02:00:00Z\"}");
        assertThat(started).contains("nightly-s-20261123-0200");
        api("DeleteDataSource", "{\"dataSourceArn\":\"" + source + "\"}");

        // Personalize: schemas, a dataset group and its dataset (an Intake dataset), a schema change,
        // tags, listings, the refusals that read what they refused, and the deletions.
        String users = Json.MAPPER.writeValueAsString(
                "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}");
        String users2 = Json.MAPPER.writeValueAsString("{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":"
                + "\"USER_ID\",\"type\":\"string\"},{\"name\":\"AGE\",\"type\":[\"null\",\"int\"],\"default\":null}]}");
        pz("CreateSchema", "{\"name\":\"pz-users\",\"schema\":" + users + "}");
        pz("CreateSchema", "{\"name\":\"pz-users-2\",\"schema\":" + users2 + "}");
        pz("DescribeSchema", "{\"schemaArn\":\"" + ARN + "schema/pz-users\"}");
        pz("ListSchemas", "{\"maxResults\":1}");
        String group = ARN + "dataset-group/pz-group";
        pz("CreateDatasetGroup", "{\"name\":\"pz-group\",\"tags\":[{\"tagKey\":\"a\",\"tagValue\":\"b\"}]}");
        pz("DescribeDatasetGroup", "{\"datasetGroupArn\":\"" + group + "\"}");
        pz("ListDatasetGroups", "{\"maxResults\":1}");
        String pzDataset = pz("CreateDataset", "{\"name\":\"people\",\"datasetGroupArn\":\"" + group + "\",\"datasetType\":"
                + "\"Users\",\"schemaArn\":\"" + ARN + "schema/pz-users\",\"tags\":[{\"tagKey\":\"c\",\"tagValue\":\"d\"}]}")
                .get("datasetArn").asText();
        pz("DescribeDataset", "{\"datasetArn\":\"" + pzDataset + "\"}");
        pz("ListDatasets", "{\"datasetGroupArn\":\"" + group + "\"}");
        pz("UpdateDataset", "{\"datasetArn\":\"" + pzDataset + "\",\"schemaArn\":\"" + ARN + "schema/pz-users-2\"}");
        pz("TagResource", "{\"resourceArn\":\"" + pzDataset + "\",\"tags\":[{\"tagKey\":\"e\",\"tagValue\":\"f\"}]}");
        pz("UntagResource", "{\"resourceArn\":\"" + group + "\",\"tagKeys\":[\"a\"]}");
        pz("ListTagsForResource", "{\"resourceArn\":\"" + pzDataset + "\"}");
        pz("ListDatasetImportJobs", "{\"datasetArn\":\"" + ARN + "dataset/other\",\"maxResults\":1}");
        assertThat(pzCall("DeleteSchema", "{\"schemaArn\":\"" + ARN + "schema/pz-users-2\"}").getBody())
                .contains("ResourceInUseException");
        assertThat(pzCall("DeleteDatasetGroup", "{\"datasetGroupArn\":\"" + group + "\"}").getBody())
                .contains("ResourceInUseException");
        pz("DeleteDataset", "{\"datasetArn\":\"" + pzDataset + "\"}");
        assertThat(deletionsStarted).contains("pz-group.USERS");
        pz("DeleteSchema", "{\"schemaArn\":\"" + ARN + "schema/pz-users-2\"}");
        pz("DeleteSchema", "{\"schemaArn\":\"" + ARN + "schema/pz-users\"}");
        pz("DeleteDatasetGroup", "{\"datasetGroupArn\":\"" + group + "\"}");

        // FULL, with more invalid rows in a chunk than its result holds (they go to a working file),
        // and a statistics report.
        StringBuilder full = new StringBuilder("ID,V\n");
        for (int i = 0; i < 300; i++) {
            full.append('k').append(i).append(',').append(i % 3 == 0 ? "bad" : Integer.toString(i)).append('\n');
        }
        put("full.csv", full.toString());
        runImport("full-1", "full.csv", "FULL", ",\"maxFailedRowsPercent\":100,\"publishAttributionMetricsToS3\":true");
        api("GetRecord", "{\"datasetArn\":\"" + ARN + "dataset/items\",\"key\":{\"ID\":\"k1\"}}");
        api("DescribeImportJob", "{\"datasetImportJobArn\":\"" + ARN + "dataset-import-job/full-1\"}");
        api("DescribeDatasetImportJob", "{\"datasetImportJobArn\":\"" + ARN + "dataset-import-job/full-1\"}");

        // INCREMENTAL: k1 unchanged early (not written) and changed later, so Reconcile sends the early
        // chunk through a second pass, which reads the contested keys.
        StringBuilder incremental = new StringBuilder("ID,V\nk1,1\n");
        for (int i = 1000; i < 1200; i++) {
            incremental.append('n').append(i).append(',').append(i).append('\n');
        }
        incremental.append("k1,999\n");
        put("inc.csv", incremental.toString());
        JsonNode recount = runImport("inc-1", "inc.csv", "INCREMENTAL", "");
        assertThat(recount).as("the second pass ran").isNotEmpty();

        // A second FULL import retires the first one's generation, whose records Finish deletes.
        runImport("full-2", "full.csv", "FULL", ",\"maxFailedRowsPercent\":100");

        // Exports: one written in parts (as the job's role in AWS) and finished, one that fails; read back.
        String exportJob = "{\"datasetArn\":\"" + ARN + "dataset/items\",\"roleArn\":\"" + FORECAST_ROLE
                + "\",\"ingestionMode\":\"BULK\",\"jobOutput\":{\"s3DataDestination\":{\"path\":\"s3://" + DATA
                + "/exports/\"}},\"tags\":[{\"tagKey\":\"a\",\"tagValue\":\"b\"}],\"jobName\":";
        pz("CreateDatasetExportJob", exportJob + "\"exp-1\"}");
        assertThat(exportsStarted).containsExactly("exp-1");
        assertThat(task("ExportStart", "{\"jobName\":\"exp-1\"}").get("go").asBoolean()).isTrue();
        ObjectNode part = Json.MAPPER.createObjectNode().put("jobName", "exp-1").put("part", 0).putNull("cursor");
        int parts = 0;
        JsonNode written;
        do {
            written = task("ExportPart", part.toString());
            part.put("part", written.get("part").asInt()).set("cursor", written.get("cursor"));
            parts++;
        } while (!written.get("done").asBoolean());
        assertThat(parts).as("several parts").isGreaterThan(1);
        assertThat(task("ExportFinish", "{\"jobName\":\"exp-1\"}").get("status").asText()).isEqualTo("ACTIVE");
        pz("CreateDatasetExportJob", exportJob + "\"exp-2\"}");
        task("ExportFail", "{\"jobName\":\"exp-2\",\"error\":\"States.Timeout\",\"cause\":\"\"}");
        pz("DescribeDatasetExportJob", "{\"datasetExportJobArn\":\"" + ARN + "dataset-export-job/exp-2\"}");
        pz("ListDatasetExportJobs", "{\"datasetArn\":\"" + ARN + "dataset/items\",\"maxResults\":1}");
        pz("ListTagsForResource", "{\"resourceArn\":\"" + ARN + "dataset-export-job/exp-1\"}");

        // A job that fails after writing: Fail deletes its generation and its working files.
        api("CreateDatasetImportJob", importRequest("inc-failing", "inc.csv", "INCREMENTAL", ""));
        task("Start", "{\"jobName\":\"inc-failing\"}");
        JsonNode chunks = chunks(task("Plan", "{\"jobName\":\"inc-failing\"}"));
        task("IngestChunk", chunkInput("inc-failing", chunks.get(0), 1));
        api("CreateDatasetImportJob", importRequest("full-failing", "full.csv", "FULL", ""));
        task("Fail", "{\"jobName\":\"inc-failing\",\"error\":\"States.Timeout\",\"cause\":\"\"}");
        task("Start", "{\"jobName\":\"full-failing\"}");
        JsonNode fullChunks = chunks(task("Plan", "{\"jobName\":\"full-failing\"}"));
        task("IngestChunk", chunkInput("full-failing", fullChunks.get(0), 1));
        task("Fail", "{\"jobName\":\"full-failing\",\"error\":\"States.Timeout\",\"cause\":\"\"}");

        // An execution stopped while its FULL job was writing: its status-change event fails the job
        // (deleting its generation and working files) and starts the job queued behind it.
        api("CreateDatasetImportJob", importRequest("stopped-1", "full.csv", "FULL", ""));
        task("Start", "{\"jobName\":\"stopped-1\"}");
        JsonNode stoppedChunks = chunks(task("Plan", "{\"jobName\":\"stopped-1\"}"));
        task("IngestChunk", chunkInput("stopped-1", stoppedChunks.get(0), 1));
        api("CreateDatasetImportJob", importRequest("queued-1", "full.csv", "FULL", ""));
        task("ExecutionEnded", "{\"detail-type\":\"Step Functions Execution Status Change\",\"source\":\"aws.states\","
                + "\"detail\":{\"name\":\"stopped-1.1\",\"status\":\"ABORTED\",\"input\":\"{}\"}}");
        assertThat(started).contains("queued-1");

        // The resumer: a queue's first job whose execution ended unreported is failed (its FULL
        // generation deleted) and the next one started; a job never started is started.
        task("Start", "{\"jobName\":\"queued-1\"}");
        JsonNode queuedChunks = chunks(task("Plan", "{\"jobName\":\"queued-1\"}"));
        task("IngestChunk", chunkInput("queued-1", queuedChunks.get(0), 1));
        lostExecutions.put("queued-1", new dev.intake.core.ports.WorkflowStarter.Execution("queued-1.1",
                dev.intake.core.ports.WorkflowStarter.ExecutionStatus.TIMED_OUT));
        api("CreateDatasetImportJob", importRequest("pending-1", "full.csv", "FULL", ""));
        task("ResumeUnfinishedJobs", "{}");
        assertThat(started).contains("pending-1");
        assertThat(call("DeleteDataset", "{\"datasetArn\":\"" + ARN + "dataset/items\"}").getBody())
                .contains("ResourceInUseException");
        task("Fail", "{\"jobName\":\"pending-1\",\"error\":\"States.Timeout\",\"cause\":\"\"}");

        // Stopping: a running FULL job goes STOPPING and its execution is stopped; the execution's end
        // ends it STOPPED (its generation retired, its working files deleted). A job queued behind it
        // is stopped at once and hands the dataset on.
        api("CreateDatasetImportJob", importRequest("stop-running", "full.csv", "FULL", ""));
        task("Start", "{\"jobName\":\"stop-running\"}");
        JsonNode stopChunks = chunks(task("Plan", "{\"jobName\":\"stop-running\"}"));
        task("IngestChunk", chunkInput("stop-running", stopChunks.get(0), 1));
        api("CreateDatasetImportJob", importRequest("stop-pending", "full.csv", "FULL", ""));
        assertThat(api("StopImportJob", "{\"datasetImportJobArn\":\"" + ARN + "dataset-import-job/stop-pending\"}")
                .get("status").asText()).isEqualTo("CREATE STOPPED");
        lostExecutions.put("stop-running", new dev.intake.core.ports.WorkflowStarter.Execution("stop-running.1",
                dev.intake.core.ports.WorkflowStarter.ExecutionStatus.RUNNING));
        assertThat(api("StopImportJob", "{\"datasetImportJobArn\":\"" + ARN + "dataset-import-job/stop-running\"}")
                .get("status").asText()).isEqualTo("CREATE STOPPING");
        assertThat(stopped).containsExactly("stop-running.1");
        lostExecutions.remove("stop-running");
        task("ExecutionEnded", "{\"detail-type\":\"Step Functions Execution Status Change\",\"source\":\"aws.states\","
                + "\"detail\":{\"name\":\"stop-running.1\",\"status\":\"ABORTED\",\"input\":\"{}\"}}");
        assertThat(api("DescribeImportJob", "{\"datasetImportJobArn\":\"" + ARN + "dataset-import-job/stop-running\"}")
                .get("importJob").get("status").asText()).isEqualTo("CREATE STOPPED");

        // An object arriving in the dataset's folder: the trigger opens a batch and starts its execution;
        // Start closes the batch (its window is 0 here) and Plan reads the versions that arrived.
        StringBuilder arrived = new StringBuilder("ID,V\n");
        for (int i = 0; i < 200; i++) {
            arrived.append('z').append(i).append(',').append(i).append('\n');
        }
        String etag = s3.client().putObject(r -> r.bucket(DATA).key("items/arrived.csv"),
                RequestBody.fromString(arrived.toString(), StandardCharsets.UTF_8)).eTag();
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-1");
        message.setBody("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"" + DATA + "\"},\"object\":{\"key\":\"items/arrived.csv\",\"size\":" + arrived.length()
                + ",\"eTag\":" + Json.MAPPER.writeValueAsString(etag) + ",\"sequencer\":\"0A1B\"}}}]}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        assertThat(((S3EventTrigger) handler(Triggers.S3_ARRIVALS.handlerClass())).handleRequest(event, null)
                .getBatchItemFailures()).isEmpty();
        String batch = started.get(started.size() - 1);
        assertThat(task("Start", "{\"jobName\":\"" + batch + "\"}").get("turn").asText()).isEqualTo("GO");
        JsonNode batchPlan = task("Plan", "{\"jobName\":\"" + batch + "\"}");
        for (JsonNode chunk : chunks(batchPlan)) {
            task("IngestChunk", chunkInput(batch, chunk, 1));
        }
        int batchChunks = batchPlan.get("chunkCount").asInt();
        task("Reconcile", "{\"jobName\":\"" + batch + "\",\"chunkCount\":" + batchChunks + "}");
        assertThat(task("Finish", "{\"jobName\":\"" + batch + "\",\"chunkCount\":" + batchChunks + ",\"recount\":[]}")
                .get("status").asText()).isEqualTo("ACTIVE");

        // Deleting: the API marks the dataset and starts the deletion workflow, whose steps delete the
        // records (the retired generations first) and then the dataset.
        api("DeleteDataset", "{\"datasetArn\":\"" + ARN + "dataset/items\"}");
        assertThat(deletionsStarted).contains("items");
        while (!task("DeleteRecords", "{\"dataset\":\"items\"}").get("done").asBoolean()) {
            // the state machine's loop
        }
        assertThat(call("DescribeDataset", "{\"datasetArn\":\"" + ARN + "dataset/items\"}").getBody())
                .contains("ResourceNotFoundException");

        // Forecast: a dataset in a group, an import that is stopped while it runs, one that fails and is
        // deleted, listed with filters; then the group and the dataset are deleted.
        String fds = FARN + "dataset/fsales";
        forecast("CreateDataset", "{\"DatasetName\":\"fsales\",\"Domain\":\"CUSTOM\",\"DatasetType\":\"ITEM_METADATA\","
                + "\"Schema\":{\"Attributes\":[{\"AttributeName\":\"item_id\",\"AttributeType\":\"string\"}]}}");
        forecast("DescribeDataset", "{\"DatasetArn\":\"" + fds + "\"}");
        forecast("ListDatasets", "{\"MaxResults\":1}");
        String fGroup = FARN + "dataset-group/fgroup";
        forecast("CreateDatasetGroup", "{\"DatasetGroupName\":\"fgroup\",\"Domain\":\"CUSTOM\",\"DatasetArns\":[\"" + fds + "\"]}");
        forecast("DescribeDatasetGroup", "{\"DatasetGroupArn\":\"" + fGroup + "\"}");
        forecast("ListDatasetGroups", "{\"MaxResults\":1}");
        forecast("UpdateDatasetGroup", "{\"DatasetGroupArn\":\"" + fGroup + "\",\"DatasetArns\":[]}");
        forecast("DeleteDatasetGroup", "{\"DatasetGroupArn\":\"" + fGroup + "\"}");
        String forecastImport = "{\"DatasetArn\":\"" + fds + "\",\"DataSource\":{\"S3Config\":{\"Path\":\"s3://" + DATA
                + "/full.csv\",\"RoleArn\":\"" + FORECAST_ROLE + "\"}},\"DatasetImportJobName\":";
        forecast("CreateDatasetImportJob", forecastImport + "\"fstopped\"}");
        task("Start", "{\"jobName\":\"fstopped\"}");
        forecast("CreateDatasetImportJob", forecastImport + "\"ffailed\"}");
        lostExecutions.put("fstopped", new dev.intake.core.ports.WorkflowStarter.Execution("fstopped.1",
                dev.intake.core.ports.WorkflowStarter.ExecutionStatus.RUNNING));
        forecast("StopResource", "{\"ResourceArn\":\"" + FARN + "dataset-import-job/fsales/fstopped\"}");
        assertThat(stopped).contains("fstopped.1");
        lostExecutions.remove("fstopped");
        task("ExecutionEnded", "{\"detail-type\":\"Step Functions Execution Status Change\",\"source\":\"aws.states\","
                + "\"detail\":{\"name\":\"fstopped.1\",\"status\":\"ABORTED\",\"input\":\"{}\"}}");
        task("Start", "{\"jobName\":\"ffailed\"}");
        task("Fail", "{\"jobName\":\"ffailed\",\"error\":\"States.Timeout\",\"cause\":\"\"}");
        String failedArn = FARN + "dataset-import-job/fsales/ffailed";
        assertThat(forecast("DescribeDatasetImportJob", "{\"DatasetImportJobArn\":\"" + failedArn + "\"}")
                .get("Status").asText()).isEqualTo("CREATE_FAILED");
        assertThat(forecast("ListDatasetImportJobs", "{\"Filters\":[{\"Key\":\"DatasetArn\",\"Value\":\"" + fds
                + "\",\"Condition\":\"IS\"}],\"MaxResults\":1}").has("NextToken")).isTrue();
        forecast("DeleteDatasetImportJob", "{\"DatasetImportJobArn\":\"" + failedArn + "\"}");
        forecast("DeleteDataset", "{\"DatasetArn\":\"" + fds + "\"}");

        // Lookout for Equipment: a dataset, an ingestion job driven through the tasks (Plan writes the
        // files it discarded to the job's settings), the listings, tags, and the deletion.
        String lookoutSchema = Json.MAPPER.writeValueAsString("{\"Components\":[{\"ComponentName\":\"Pump\",\"Columns\":["
                + "{\"Name\":\"Timestamp\",\"Type\":\"DATETIME\"},{\"Name\":\"Flow\",\"Type\":\"DOUBLE\"}]}]}");
        String lds = lookout("CreateDataset", "{\"DatasetName\":\"lpump\",\"ClientToken\":\"c1\",\"DatasetSchema\":"
                + "{\"InlineDataSchema\":" + lookoutSchema + "},\"Tags\":[{\"Key\":\"a\",\"Value\":\"b\"}]}")
                .get("DatasetArn").asText();
        put("lookout/Pump/a.csv", "Timestamp,Flow\n2024-01-01 00:00:00,1\n2024-01-01 00:00:00,x\n");
        put("lookout/notes.txt", "not data");
        String ingestion = lookout("StartDataIngestionJob", "{\"DatasetName\":\"lpump\",\"RoleArn\":\"" + FORECAST_ROLE
                + "\",\"ClientToken\":\"i1\",\"IngestionInputConfiguration\":{\"S3InputConfiguration\":{\"Bucket\":\""
                + DATA + "\",\"Prefix\":\"lookout/\"}}}").get("JobId").asText();
        task("Start", "{\"jobName\":\"" + ingestion + "\"}");
        JsonNode lookoutPlan = task("Plan", "{\"jobName\":\"" + ingestion + "\"}");
        for (JsonNode chunk : chunks(lookoutPlan)) {
            task("IngestChunk", chunkInput(ingestion, chunk, 1));
        }
        int lookoutChunks = lookoutPlan.get("chunkCount").asInt();
        task("Reconcile", "{\"jobName\":\"" + ingestion + "\",\"chunkCount\":" + lookoutChunks + "}");
        task("Finish", "{\"jobName\":\"" + ingestion + "\",\"chunkCount\":" + lookoutChunks + ",\"recount\":[]}");
        JsonNode ingested = lookout("DescribeDataIngestionJob", "{\"JobId\":\"" + ingestion + "\"}");
        assertThat(ingested.get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(ingested.get("IngestedFilesSummary").get("DiscardedFiles").get(0).get("Key").asText())
                .isEqualTo("lookout/notes.txt");
        assertThat(ingested.get("DataQualitySummary").get("InvalidSensorData").get("TotalNumberOfInvalidValues").asInt())
                .isEqualTo(1);
        assertThat(lookout("DescribeDataset", "{\"DatasetName\":\"lpump\"}").get("Status").asText()).isEqualTo("ACTIVE");
        lookout("ListDatasets", "{\"MaxResults\":1}");
        lookout("ListDataIngestionJobs", "{\"DatasetName\":\"lpump\",\"MaxResults\":1}");
        lookout("TagResource", "{\"ResourceArn\":\"" + lds + "\",\"Tags\":[{\"Key\":\"c\",\"Value\":\"d\"}]}");
        lookout("UntagResource", "{\"ResourceArn\":\"" + lds + "\",\"TagKeys\":[\"a\"]}");
        assertThat(lookout("ListTagsForResource", "{\"ResourceArn\":\"" + lds + "\"}").get("Tags").size()).isEqualTo(1);
        lookout("DeleteDataset", "{\"DatasetName\":\"lpump\"}");
        assertThat(deletionsStarted).contains("lpump");
        // DataZone: a domain, a data source (a saved source), a run whose job is driven to its end, read
        // back (which makes the run final), a second run over the unchanged file; then deleted again.
        api("CreateDataset", "{\"name\":\"dzitems\",\"schema\":" + Json.MAPPER.writeValueAsString(SCHEMA)
                + ",\"keyFields\":[\"ID\"]}");
        put("dz/one.csv", "ID,V\nd1,1\nd2,2\n");
        String dzDomain = dz("CreateDomain", Map.of(), Map.of(), "{\"name\":\"d\",\"domainExecutionRole\":\""
                + FORECAST_ROLE + "\",\"clientToken\":\"t1\"}").get("id").asText();
        dz("GetDomain", Map.of("domainIdentifier", dzDomain), Map.of(), null);
        dz("ListDomains", Map.of(), Map.of("maxResults", "1"), null);
        Map<String, String> inDomain = Map.of("domainIdentifier", dzDomain);
        String sourceId = dz("CreateDataSource", inDomain, Map.of(), "{\"name\":\"s\",\"projectIdentifier\":\"p\","
                + "\"type\":\"S3\",\"schedule\":{\"schedule\":\"cron(0 12 * * ? *)\"},\"configuration\":"
                + "{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[{\"databaseName\":\"" + DATA
                + "\",\"schemaName\":\"dzitems\",\"filterExpressions\":[{\"type\":\"INCLUDE\",\"expression\":"
                + "\"dz/\"}]}]}}}").get("id").asText();
        Map<String, String> dzSource = Map.of("domainIdentifier", dzDomain, "dataSourceIdentifier", sourceId);
        dz("GetDataSource", dzSource, Map.of(), null);
        dz("ListDataSources", inDomain, Map.of("projectIdentifier", "p", "maxResults", "1"), null);
        dz("UpdateDataSource", dzSource, Map.of(), "{\"enableSetting\":\"ENABLED\",\"description\":\"d\"}");
        String runId = dz("StartDataSourceRun", dzSource, Map.of(), "{\"clientToken\":\"r1\"}").get("id").asText();
        assertThat(task("Start", "{\"jobName\":\"" + runId + "\"}").get("turn").asText()).isEqualTo("GO");
        JsonNode runPlan = task("Plan", "{\"jobName\":\"" + runId + "\"}");
        for (JsonNode chunk : chunks(runPlan)) {
            task("IngestChunk", chunkInput(runId, chunk, 1));
        }
        task("Reconcile", "{\"jobName\":\"" + runId + "\",\"chunkCount\":" + runPlan.get("chunkCount").asInt() + "}");
        task("Finish", "{\"jobName\":\"" + runId + "\",\"chunkCount\":" + runPlan.get("chunkCount").asInt()
                + ",\"recount\":[]}");
        Map<String, String> dzRun = Map.of("domainIdentifier", dzDomain, "runIdentifier", runId);
        assertThat(dz("GetDataSourceRun", dzRun, Map.of(), null).get("status").asText()).isEqualTo("SUCCESS");
        dz("ListDataSourceRuns", dzSource, Map.of("maxResults", "1"), null);
        dz("ListDataSourceRunActivities", dzRun, Map.of("maxResults", "1"), null);
        assertThat(dz("StartDataSourceRun", dzSource, Map.of(), "{}").get("runStatisticsForAssets").get("unchanged").asInt())
                .isEqualTo(1);
        // its schedule fires: a SCHEDULED run (nothing changed, so no job), which lists the folder first
        assertThat(task("RunScheduledSource", "{\"dataSourceName\":\"" + sourceId + "\",\"scheduledTime\":"
                + "\"2026-11-23T12:00:00Z\"}").get("status").asText()).isEqualTo("SUCCESS");
        dz("DeleteDataSource", dzSource, Map.of(), null);
        dz("DeleteDomain", inDomain, Map.of(), null);

        // The control table's stream: every job's item as its stream records carry it (dynalite has no
        // streams), published as state-change events.
        publishJobEvents(List.of("full-1", "inc-1", "full-2", "inc-failing", "full-failing", "stopped-1", "queued-1",
                "pending-1", "stop-running", "stop-pending"));

        Map<String, Set<Permission>> uncovered = new TreeMap<>();
        Map<String, Set<Permission>> unused = new TreeMap<>();
        declared.forEach((handler, permissions) -> {
            Set<Permission> needed = used.getOrDefault(handler, EnumSet.noneOf(Permission.class));
            Set<Permission> missing = EnumSet.noneOf(Permission.class);
            missing.addAll(needed);
            missing.removeAll(permissions);
            if (!missing.isEmpty()) {
                uncovered.put(names.get(handler), missing);
            }
            Set<Permission> extra = EnumSet.noneOf(Permission.class);
            extra.addAll(permissions);
            extra.removeAll(needed);
            extra.removeAll(NOT_EXERCISED.getOrDefault(names.get(handler), Set.of()));
            extra.removeAll(NOT_EXERCISED_LOOKOUT.getOrDefault(names.get(handler), Set.of()));
            extra.removeAll(NOT_EXERCISED_DATAZONE.getOrDefault(names.get(handler), Set.of()));
            if (!extra.isEmpty()) {
                unused.put(names.get(handler), extra);
            }
        });
        assertThat(UNCOVERED_CALLS).as("calls that no permission covers").isEmpty();
        assertThat(uncovered).as("calls that the function's declared permissions do not cover").isEmpty();
        assertThat(unused).as("declared permissions no call needed").isEmpty();
        assertThat(used.keySet()).as("every function ran").containsExactlyInAnyOrderElementsOf(declared.keySet());
    }

    // ---- driving the handlers, each with clients of its own ----

    /**
     * Feeds the PublishJobEvents handler a stream batch holding each job's creation (its item as it is
     * now, as a new image), on an EventBridge client that records its calls.
     */
    private void publishJobEvents(List<String> jobs) {
        String handlerClass = WorkflowTasks.PUBLISH_JOB_EVENTS.handlerClass();
        Set<Permission> needs = used.computeIfAbsent(handlerClass,
                k -> java.util.Collections.synchronizedSet(EnumSet.noneOf(Permission.class)));
        List<com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (String job : jobs) {
            Map<String, AttributeValue> item = DynamoTarget.client().getItem(r -> r.tableName(tables.control())
                    .key(Map.of("pk", AttributeValue.fromS("JOB#" + job), "sk", AttributeValue.fromS("JOB")))
                    .consistentRead(true)).item();
            assertThat(item).as(job).isNotEmpty();
            var stream = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord()
                    .withKeys(streamImage(Map.of("pk", item.get("pk"), "sk", item.get("sk"))))
                    .withNewImage(streamImage(item)).withSequenceNumber(Integer.toString(records.size() + 1))
                    .withStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
            var record = new com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord();
            record.setEventName("INSERT");
            record.setDynamodb(stream);
            records.add(record);
        }
        var event = new com.amazonaws.services.lambda.runtime.events.DynamodbEvent();
        event.setRecords(records);
        software.amazon.awssdk.services.eventbridge.EventBridgeClient recording = new software.amazon.awssdk.services
                .eventbridge.EventBridgeClient() {
            @Override
            public software.amazon.awssdk.services.eventbridge.model.PutEventsResponse putEvents(
                    software.amazon.awssdk.services.eventbridge.model.PutEventsRequest request) {
                need(needs, PUBLISH_JOB_EVENTS);
                return software.amazon.awssdk.services.eventbridge.model.PutEventsResponse.builder().failedEntryCount(0)
                        .entries(request.entries().stream().map(e -> software.amazon.awssdk.services.eventbridge.model
                                .PutEventsResultEntry.builder().eventId("id").build()).toList()).build();
            }

            @Override
            public String serviceName() {
                return "events";
            }

            @Override
            public void close() {
            }
        };
        var response = new dev.intake.workflow.PublishJobEventsTask(Deployment.LOCAL,
                new dev.intake.adapters.events.EventBridgeJobEvents(recording, "default")).handleRequest(event, null);
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    /** An item as Lambda's stream event carries it. */
    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> streamImage(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image = new LinkedHashMap<>();
        item.forEach((name, value) -> image.put(name, streamValue(value)));
        return image;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue streamValue(AttributeValue v) {
        var value = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> value.setS(v.s());
            case N -> value.setN(v.n());
            case BOOL -> value.setBOOL(v.bool());
            case M -> value.setM(streamImage(v.m()));
            case L -> value.setL(v.l().stream().map(DeclaredPermissionsTest::streamValue).toList());
            case SS -> value.setSS(v.ss());
            case B -> value.setB(v.b().asByteBuffer()); // an ACTIVE job's field statistics
            default -> throw new IllegalArgumentException("a job item holds no " + v.type());
        }
        return value;
    }

    private JsonNode runImport(String job, String file, String mode, String extra) {
        api("CreateDatasetImportJob", importRequest(job, file, mode, extra));
        assertThat(task("Start", "{\"jobName\":\"" + job + "\"}").get("turn").asText()).isEqualTo("GO");
        task("Start", "{\"jobName\":\"" + job + "\"}"); // retried: finds the job already IN_PROGRESS
        JsonNode plan = task("Plan", "{\"jobName\":\"" + job + "\"}");
        assertThat(task("Plan", "{\"jobName\":\"" + job + "\"}")).as("a retried Plan reads the kept plan").isEqualTo(plan);
        int count = plan.get("chunkCount").asInt();
        assertThat(count).as("several chunks").isGreaterThan(1);
        for (JsonNode chunk : chunks(plan)) {
            task("IngestChunk", chunkInput(job, chunk, 1));
        }
        JsonNode reconciled = task("Reconcile", "{\"jobName\":\"" + job + "\",\"chunkCount\":" + count + "}");
        var recount = Json.MAPPER.createArrayNode();
        if (reconciled.get("recountCount").asInt() > 0) {
            for (JsonNode chunk : chunks(reconciled)) {
                task("IngestChunk", chunkInput(job, chunk, 2));
                recount.add(chunk.get("index").asInt());
            }
        }
        assertThat(recount).hasSize(reconciled.get("recountCount").asInt());
        ObjectNode finish = Json.MAPPER.createObjectNode().put("jobName", job).put("chunkCount", count)
                .put("recountCount", recount.size());
        assertThat(task("Finish", finish.toString()).get("status").asText()).as(job).isEqualTo("ACTIVE");
        return recount;
    }

    /** The chunks of the manifest a Plan or Reconcile step wrote (as the Distributed Map reads them). */
    private JsonNode chunks(JsonNode stepOutput) {
        JsonNode manifest = stepOutput.get("manifest");
        String body = s3.client().getObjectAsBytes(r -> r.bucket(manifest.get("bucket").asText())
                .key(manifest.get("key").asText())).asUtf8String();
        var chunks = Json.MAPPER.createArrayNode();
        for (String line : body.split("\n")) {
            try {
                chunks.add(Json.MAPPER.readTree(line));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return chunks;
    }

    private static String importRequest(String job, String file, String mode, String extra) {
        return "{\"jobName\":\"" + job + "\",\"datasetArn\":\"" + ARN + "dataset/items\",\"dataSource\":{\"dataLocation\":"
                + "\"s3://" + DATA + "/" + file + "\"},\"importMode\":\"" + mode + "\"" + extra + "}";
    }

    private static String chunkInput(String job, JsonNode chunk, int pass) {
        ObjectNode input = Json.MAPPER.createObjectNode().put("jobName", job).put("pass", pass);
        input.set("chunk", chunk);
        return input.toString();
    }

    private void put(String key, String content) {
        s3.client().putObject(r -> r.bucket(DATA).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private JsonNode api(String operation, String body) {
        APIGatewayProxyResponseEvent response = call(operation, body);
        assertThat(response.getStatusCode()).as(operation + " " + response.getBody()).isEqualTo(200);
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private APIGatewayProxyResponseEvent call(String operation, String body) {
        String handler = Routes.ALL.stream().filter(r -> r.operation().equals(operation)).findFirst().orElseThrow()
                .handlerClass();
        return ((JsonApiHandler) handler(handler)).handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST")
                .withBody(body), null);
    }

    /** A DataZone operation, as API Gateway's proxy event carries a rest-json request. */
    private JsonNode dz(String operation, Map<String, String> path, Map<String, String> query, String body) {
        Route route = Routes.ALL.stream().filter(r -> r.dialect() == Dialect.DATAZONE && r.operation().equals(operation))
                .findFirst().orElseThrow();
        APIGatewayProxyResponseEvent response = ((JsonApiHandler) handler(route.handlerClass())).handleRequest(
                new APIGatewayProxyRequestEvent().withHttpMethod(route.method()).withPathParameters(path)
                        .withQueryStringParameters(query).withBody(body), null);
        assertThat(response.getStatusCode()).as(operation + " " + response.getBody()).isBetween(200, 202);
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Forecast operation (whose names Intake's own operations share). */
    private JsonNode forecast(String operation, String body) {
        String handler = Routes.ALL.stream().filter(r -> r.dialect() == dev.intake.api.Dialect.FORECAST
                && r.operation().equals(operation)).findFirst().orElseThrow().handlerClass();
        APIGatewayProxyResponseEvent response = ((JsonApiHandler) handler(handler)).handleRequest(
                new APIGatewayProxyRequestEvent().withHttpMethod("POST").withBody(body), null);
        assertThat(response.getStatusCode()).as(operation + " " + response.getBody()).isEqualTo(200);
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Lookout for Equipment operation (whose names other dialects share). */
    private JsonNode lookout(String operation, String body) {
        String handler = Routes.ALL.stream().filter(r -> r.dialect() == Dialect.LOOKOUTEQUIPMENT
                && r.operation().equals(operation)).findFirst().orElseThrow().handlerClass();
        APIGatewayProxyResponseEvent response = ((JsonApiHandler) handler(handler)).handleRequest(
                new APIGatewayProxyRequestEvent().withHttpMethod("POST").withBody(body), null);
        assertThat(response.getStatusCode()).as(operation + " " + response.getBody()).isEqualTo(200);
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Personalize operation (some share their names with Intake's own). */
    private JsonNode pz(String operation, String body) {
        APIGatewayProxyResponseEvent response = pzCall(operation, body);
        assertThat(response.getStatusCode()).as(operation + " " + response.getBody()).isEqualTo(200);
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private APIGatewayProxyResponseEvent pzCall(String operation, String body) {
        String handler = Routes.ALL.stream().filter(r -> r.dialect() == Dialect.PERSONALIZE && r.operation().equals(operation))
                .findFirst().orElseThrow().handlerClass();
        return ((JsonApiHandler) handler(handler)).handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST")
                .withBody(body), null);
    }

    private JsonNode task(String name, String input) {
        String handler = names.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().orElseThrow().getKey();
        try {
            return ((WorkflowTask) handler(handler)).run(Json.parse(input));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The handler, on Services whose DynamoDB and S3 clients record its calls (one per function, as in AWS). */
    private Object handler(String handlerClass) {
        return handlers.computeIfAbsent(handlerClass, c -> {
            Set<Permission> needs = used.computeIfAbsent(c, k -> java.util.Collections.synchronizedSet(EnumSet.noneOf(Permission.class)));
            DynamoDbClient dynamo = new RecordingDynamo(DynamoTarget.client(), needs);
            S3Client recordingS3 = S3Client.builder().endpointOverride(s3.endpoint())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(new RecordingS3(needs))).build();
            dev.intake.core.ports.WorkflowStarter starter = new dev.intake.core.ports.WorkflowStarter() {
                @Override
                public void start(String job) {
                    need(needs, dev.intake.app.Permission.START_IMPORTS); // StartExecution (after DescribeExecution)
                    started.add(job);
                }

                @Override
                public java.util.Optional<Execution> latest(String job) {
                    need(needs, dev.intake.app.Permission.START_IMPORTS); // DescribeExecution
                    return java.util.Optional.ofNullable(lostExecutions.get(job));
                }

                @Override
                public void stop(String execution, String cause) {
                    need(needs, dev.intake.app.Permission.STOP_IMPORTS); // StopExecution
                    stopped.add(execution);
                }
            };
            dev.intake.core.ports.WorkflowStarter deletions = new dev.intake.core.ports.WorkflowStarter() {
                @Override
                public void start(String dataset) {
                    need(needs, dev.intake.app.Permission.START_DELETIONS); // StartExecution (after DescribeExecution)
                    deletionsStarted.add(dataset);
                }

                @Override
                public java.util.Optional<Execution> latest(String dataset) {
                    need(needs, dev.intake.app.Permission.START_DELETIONS); // DescribeExecution
                    return java.util.Optional.empty();
                }

                @Override
                public void stop(String execution, String cause) {
                    throw new AssertionError("deletions are never stopped");
                }
            };
            dev.intake.core.ports.WorkflowStarter exports = new dev.intake.core.ports.WorkflowStarter() {
                @Override
                public void start(String job) {
                    need(needs, dev.intake.app.Permission.START_EXPORTS); // StartExecution (after DescribeExecution)
                    exportsStarted.add(job);
                }

                @Override
                public java.util.Optional<Execution> latest(String job) {
                    need(needs, dev.intake.app.Permission.START_EXPORTS); // DescribeExecution
                    return java.util.Optional.empty();
                }

                @Override
                public void stop(String execution, String cause) {
                    throw new AssertionError("exports are never stopped");
                }
            };
            dev.intake.core.ports.SourceSchedules schedules = new dev.intake.core.ports.SourceSchedules() {
                @Override
                public void put(dev.intake.core.DataSource source) {
                    need(needs, MANAGE_SCHEDULES); // CreateSchedule or UpdateSchedule (passing the scheduler's role)
                }

                @Override
                public void delete(String name) {
                    need(needs, MANAGE_SCHEDULES); // DeleteSchedule
                }
            };
            Services services = new Services(DynamoStorage.of(dynamo, tables, writers, new CapacityMeter()),
                    ObjectStores.single(new S3ObjectStore(recordingS3)), starter, deletions, ImportMetrics.NONE,
                    new EngineSettings(RESULTS, 1024, ImportAccess.parse("s3://" + DATA + "/", FORECAST_ROLE))
                            .withArrivals(new ArrivalSettings(DATA, java.time.Duration.ZERO, 500)), Deployment.LOCAL,
                    Clock.systemUTC(), schedules, exports);
            try {
                return Class.forName(c).getConstructor(Services.class).newInstance(services);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---- calls to permissions ----

    private static void need(Set<Permission> needs, Permission permission) {
        needs.add(permission);
    }

    /** S3 calls: the data bucket is the import source; the results bucket's prefixes decide the rest. */
    private static final class RecordingS3 implements ExecutionInterceptor {
        private final Set<Permission> needs;

        RecordingS3(Set<Permission> needs) {
            this.needs = needs;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            String bucket = request.getValueForField("Bucket", String.class).orElseThrow();
            if (bucket.equals(DATA) && List.of("ListObjectsV2", "HeadObject", "GetObject", "HeadBucket").contains(operation)) {
                need(needs, READ_SOURCES);
                return;
            }
            if (bucket.equals(DATA) && operation.equals("PutObject")) {
                // an export's part file, written in AWS as the job's role, which WRITE_EXPORTS lets it assume
                need(needs, dev.intake.app.Permission.WRITE_EXPORTS);
                return;
            }
            if (!bucket.equals(RESULTS)) {
                UNCOVERED_CALLS.add(operation + " s3://" + bucket);
                return;
            }
            String key = request instanceof ListObjectsV2Request list ? list.prefix()
                    : request instanceof GetObjectRequest get ? get.key()
                    : request instanceof PutObjectRequest put ? put.key()
                    : request instanceof HeadObjectRequest head ? head.key() : null;
            if (request instanceof DeleteObjectsRequest delete) {
                if (delete.delete().objects().stream().allMatch(o -> o.key().startsWith(ImportWorkflow.WORK))) {
                    need(needs, WORK_FILES_DELETE);
                } else {
                    UNCOVERED_CALLS.add("DeleteObjects outside work/ in s3://" + bucket);
                }
            } else if (key != null && key.startsWith(ImportWorkflow.WORK)) {
                switch (operation) {
                    case "GetObject" -> need(needs, WORK_FILES_READ);
                    case "PutObject" -> need(needs, WORK_FILES_WRITE);
                    case "ListObjectsV2" -> need(needs, WORK_FILES_DELETE);
                    default -> UNCOVERED_CALLS.add(operation + " s3://" + bucket + "/" + key);
                }
            } else if (operation.equals("PutObject") && key != null && key.startsWith(dev.intake.core.ChunkManifest.PREFIX)) {
                need(needs, dev.intake.app.Permission.MANIFESTS_WRITE);
            } else if (operation.equals("PutObject") && key != null && (key.startsWith(ImportWorkflow.ERROR_REPORTS)
                    || key.startsWith(ImportWorkflow.STATISTICS))) {
                need(needs, REPORTS_WRITE);
            } else {
                UNCOVERED_CALLS.add(operation + " s3://" + bucket + "/" + key);
            }
        }
    }

    /** DynamoDB calls, by table and action (a transaction's parts by their own actions). */
    private final class RecordingDynamo implements DynamoDbClient {
        private final DynamoDbClient dynamo;
        private final Set<Permission> needs;

        RecordingDynamo(DynamoDbClient dynamo, Set<Permission> needs) {
            this.dynamo = dynamo;
            this.needs = needs;
        }

        private void called(String table, String action, Map<String, AttributeValue> item) {
            boolean control = table.equals(tables.control());
            if (!control && !table.equals(tables.records())) {
                UNCOVERED_CALLS.add(action + " on " + table);
                return;
            }
            Permission permission = switch (action) {
                case "GetItem", "Query" -> control ? CONTROL_READ : RECORDS_READ;
                case "BatchGetItem" -> control ? null : RECORDS_READ;
                case "PutItem" -> !control ? RECORDS_WRITE
                        : item != null && item.get("pk").s().equals(DynamoSigningKeys.PARTITION) ? SIGNING_KEY_CREATE : CONTROL_WRITE;
                case "UpdateItem", "DeleteItem" -> control ? CONTROL_WRITE : null;
                case "BatchWriteItem" -> control ? null : RECORDS_DELETE;
                default -> null;
            };
            if (permission == null) {
                UNCOVERED_CALLS.add(action + " on " + table);
                return;
            }
            need(needs, permission);
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            called(request.tableName(), "GetItem", null);
            return dynamo.getItem(request);
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            called(request.tableName(), "PutItem", request.item());
            return dynamo.putItem(request);
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            called(request.tableName(), "UpdateItem", null);
            return dynamo.updateItem(request);
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            called(request.tableName(), "DeleteItem", null);
            return dynamo.deleteItem(request);
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            called(request.tableName(), "Query", null);
            return dynamo.query(request);
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            request.requestItems().keySet().forEach(table -> called(table, "BatchGetItem", null));
            return dynamo.batchGetItem(request);
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            request.requestItems().forEach((table, writes) -> {
                if (writes.stream().anyMatch(w -> w.putRequest() != null)) {
                    UNCOVERED_CALLS.add("BatchWriteItem with puts on " + table); // RECORDS_DELETE is for deletes
                }
                called(table, "BatchWriteItem", null);
            });
            return dynamo.batchWriteItem(request);
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            for (TransactWriteItem part : request.transactItems()) {
                if (part.put() != null) {
                    called(part.put().tableName(), "PutItem", part.put().item());
                } else if (part.update() != null) {
                    called(part.update().tableName(), "UpdateItem", null);
                } else if (part.delete() != null) {
                    called(part.delete().tableName(), "DeleteItem", null);
                } else {
                    called(part.conditionCheck().tableName(), "ConditionCheckItem", null);
                }
            }
            return dynamo.transactWriteItems(request);
        }

        @Override
        public String serviceName() {
            return dynamo.serviceName();
        }

        @Override
        public void close() {
            // the shared client stays open
        }
    }
}
