package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** /intake/StopImportJob over HTTP against the local runtime (its executor, store and S3). */
class StopImportJobHttpTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}";
    private static final String ARN = "arn:aws:personalize:local:000000000000:dataset-import-job/";

    private static LocalRuntime runtime;
    private static ApiClient api;
    private static String datasetArn;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0));
        api = new ApiClient(runtime.apiEndpoint());
        datasetArn = api.ok("intake", "CreateDataset", Map.of("name", "users", "schema", SCHEMA,
                "keyFields", List.of("USER_ID"))).get("datasetArn").asText();
        StringBuilder csv = new StringBuilder("USER_ID\n");
        for (int i = 0; i < 50_000; i++) {
            csv.append('u').append(i).append('\n');
        }
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("exports/users/big.csv"),
                RequestBody.fromString(csv.toString(), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    private static String create(String name) throws Exception {
        return api.ok("personalize", "CreateDatasetImportJob", Map.of("jobName", name, "datasetArn", datasetArn,
                "dataSource", Map.of("dataLocation", "s3://" + LocalRuntime.LANDING_BUCKET + "/exports/users/big.csv")))
                .get("datasetImportJobArn").asText();
    }

    private static JsonNode describe(String arn) throws Exception {
        return api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", arn)).get("importJob");
    }

    private static JsonNode awaitEnd(String arn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = describe(arn);
            if (List.of("ACTIVE", "CREATE FAILED", "CREATE STOPPED").contains(job.get("status").asText())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(arn + " did not end");
    }

    @Test
    void aQueuedJobIsStoppedAtOnceAndAnEndedOneIsRefused() throws Exception {
        String running = create("http-first");
        String queued = create("http-queued");

        JsonNode stopped = api.ok("intake", "StopImportJob", Map.of("datasetImportJobArn", queued));

        assertThat(stopped.get("datasetImportJobArn").asText()).isEqualTo(queued);
        assertThat(stopped.get("status").asText()).isEqualTo("CREATE STOPPED");
        JsonNode job = describe(queued);
        assertThat(job.get("status").asText()).isEqualTo("CREATE STOPPED");
        assertThat(job.get("failureReason").asText()).isEqualTo("The import was stopped before it started; the dataset is unchanged");
        assertThat(api.ok("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn", queued))
                .get("datasetImportJob").get("status").asText()).as("Personalize knows no stop").isEqualTo("CREATE FAILED");

        ApiClient.Reply again = api.call("intake", "StopImportJob", Map.of("datasetImportJobArn", queued));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorType()).isEqualTo("InvalidInputException");
        assertThat(again.body().get("message").asText())
                .isEqualTo("Import job 'http-queued' has already ended (STOPPED); only a job that has not ended can be stopped");

        ApiClient.Reply missing = api.call("intake", "StopImportJob", Map.of("datasetImportJobArn", ARN + "nope"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorType()).isEqualTo("ResourceNotFoundException");

        ApiClient.Reply noArn = api.call("intake", "StopImportJob", Map.of());
        assertThat(noArn.status()).isEqualTo(400);
        assertThat(noArn.errorType()).isEqualTo("InvalidInputException");

        assertThat(awaitEnd(running).get("status").asText()).isIn("ACTIVE", "CREATE STOPPED");
    }

    @Test
    void aRunningJobStopsAndEndsStopped() throws Exception {
        String arn = create("http-running");
        ApiClient.Reply reply = api.call("intake", "StopImportJob", Map.of("datasetImportJobArn", arn));
        JsonNode ended;
        if (reply.ok()) {
            assertThat(reply.body().get("status").asText()).isIn("CREATE STOPPING", "CREATE STOPPED");
            ended = awaitEnd(arn);
            assertThat(ended.get("status").asText()).isEqualTo("CREATE STOPPED");
            assertThat(ended.get("failureReason").asText()).contains("stopped before");
        } else {
            // it may have ended before the stop arrived (a fast machine): then it is refused, and ACTIVE
            assertThat(reply.errorType()).isEqualTo("InvalidInputException");
            assertThat(awaitEnd(arn).get("status").asText()).isEqualTo("ACTIVE");
        }
    }
}
