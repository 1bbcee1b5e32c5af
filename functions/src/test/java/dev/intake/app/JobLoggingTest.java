package dev.intake.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.SigningKeys;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.ports.Storage;
import dev.intake.personalize.CreateDatasetImportJobHandler;
import dev.intake.workflow.WorkflowTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The JSON lines a function writes, as the Lambda log configuration (log4j2.xml, Powertools'
 * layout) writes them: every line a task or an API call logs about a job has the field "job".
 */
class JobLoggingTest {
    private static final Logger LOG = LoggerFactory.getLogger("dev.intake.test");

    private final StringWriter captured = new StringWriter();
    private WriterAppender appender;

    @BeforeEach
    void capture() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        appender = WriterAppender.newBuilder().setName("captured").setTarget(captured)
                .setLayout(config.getAppender("Json").getLayout()).build();
        appender.start();
        config.getLoggerConfig("dev.intake").addAppender(appender, Level.ALL, null);
        logging.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getLoggerConfig("dev.intake").removeAppender("captured");
        logging.updateLoggers();
        appender.stop();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.parse(line));
            }
        }
        return lines;
    }

    /** Logs one line while it runs, and fails when asked to. */
    static final class LoggingTask extends WorkflowTask {
        LoggingTask() {
            super(null);
        }

        @Override
        public JsonNode run(JsonNode input) {
            LOG.info("working on a chunk");
            if (input.path("fail").asBoolean()) {
                throw new IllegalStateException("broken");
            }
            return Json.MAPPER.createObjectNode();
        }
    }

    private static Context lambdaContext() {
        Context context = mock(Context.class);
        when(context.getAwsRequestId()).thenReturn("req-1");
        when(context.getFunctionName()).thenReturn("IngestChunk");
        when(context.getFunctionVersion()).thenReturn("7");
        when(context.getInvokedFunctionArn()).thenReturn("arn:aws:lambda:us-east-1:000000000000:function:IngestChunk:live");
        when(context.getMemoryLimitInMB()).thenReturn(2048);
        return context;
    }

    private static void handle(WorkflowTask task, String input, Context context) throws Exception {
        task.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                context);
    }

    @Test
    void everyLineATaskLogsNamesItsJobInLambdaAndLocallyAndNoLineAfter() throws Exception {
        handle(new LoggingTask(), "{\"jobName\":\"items-1\"}", lambdaContext());
        handle(new LoggingTask(), "{\"jobName\":\"items-2\"}", null);
        assertThatThrownBy(() -> handle(new LoggingTask(), "{\"jobName\":\"items-3\",\"fail\":true}", lambdaContext()))
                .hasMessage("broken");
        LOG.info("between invocations");

        List<JsonNode> lines = lines();
        assertThat(lines).extracting(l -> l.path("message").asText()).containsExactly("working on a chunk",
                "working on a chunk", "working on a chunk", "between invocations");
        assertThat(lines).extracting(l -> l.path("job").asText(null)).containsExactly("items-1", "items-2", "items-3", null);
        assertThat(lines.get(0).path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(MDC.get(JobLogging.KEY)).isNull();
    }

    @Test
    void anApiCallsUnexpectedErrorIsLoggedWithTheJobItNames() throws Exception {
        DatasetStore datasets = mock(DatasetStore.class);
        when(datasets.find(any())).thenThrow(new IllegalStateException("store unreachable"));
        Services services = new Services(new Storage(datasets, mock(JobStore.class), mock(RecordStore.class),
                mock(SigningKeys.class)), ObjectStores.single(mock(ObjectStore.class)), WorkflowStarter.manual(job -> { }), ImportMetrics.NONE,
                new EngineSettings("results", 1 << 20, ImportAccess.parse("s3://landing/", "")), Deployment.LOCAL,
                Clock.systemUTC());
        var response = new CreateDatasetImportJobHandler(services).handleRequest(new APIGatewayProxyRequestEvent()
                .withBody("{\"jobName\":\"items-9\",\"datasetArn\":\"arn:aws:personalize:us-east-1:000000000000:dataset/items\","
                        + "\"dataSource\":{\"dataLocation\":\"s3://landing/items/\"}}"), lambdaContext());

        assertThat(response.getStatusCode()).isEqualTo(500);
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("ERROR");
        assertThat(lines.get(0).path("job").asText()).isEqualTo("items-9");
        assertThat(lines.get(0).path("message").asText()).startsWith("CreateDatasetImportJob failed unexpectedly");
        assertThat(MDC.get(JobLogging.KEY)).isNull();
    }

    @Test
    void theJobOfAnOuterScopeComesBack() {
        String inner = JobLogging.about("outer", () -> JobLogging.about("inner", () -> MDC.get(JobLogging.KEY)));
        assertThat(inner).isEqualTo("inner");
        assertThat(JobLogging.about("outer", () -> {
            JobLogging.about("inner", () -> null);
            return MDC.get(JobLogging.KEY);
        })).isEqualTo("outer");
        assertThat(MDC.get(JobLogging.KEY)).isNull();
    }
}
