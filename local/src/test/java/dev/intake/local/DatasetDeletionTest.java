package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.core.Dataset;
import dev.intake.core.DatasetService;
import dev.intake.core.ports.RecordWrite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Records are deleted by the deletion state machine (statemachine/delete-records.asl.json) in
 * steps, never inside an API call or an import's last step: a deleted dataset's records, then the
 * dataset; the generation a FULL import replaced, after the import has ended.
 */
class DatasetDeletionTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}";
    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0));
        api = new ApiClient(runtime.apiEndpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 60 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void deleteDatasetAnswersAtOnceAndTheWorkflowDeletesItsRecordsInStepsThenTheDataset() throws Exception {
        String arn = api.ok("intake", "CreateDataset", Map.of("name", "big", "schema", SCHEMA, "keyFields", List.of("ID")))
                .get("datasetArn").asText();
        Dataset dataset = runtime.services().datasets.describe("big");
        int rows = 2 * DatasetService.DELETE_STEP_RECORDS + 500;
        List<RecordWrite> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(new RecordWrite("k" + i, "{\"ID\":\"k" + i + "\"}", "h" + i, i, "", null, null));
            if (batch.size() == runtime.services().records.maxBatch() || i == rows - 1) {
                runtime.services().records.write("big", dataset.generation(), "seed", batch);
                batch.clear();
            }
        }

        assertThat(api.call("intake", "DeleteDataset", Map.of("datasetArn", arn)).ok()).isTrue();
        var during = api.call("intake", "DescribeDataset", Map.of("datasetArn", arn));
        if (during.ok()) { // it may already be gone on a fast machine
            assertThat(during.body().get("dataset").get("status").asText()).isIn("DELETE PENDING", "DELETE IN_PROGRESS");
        }

        await("the dataset's deletion", () -> {
            try {
                return "ResourceNotFoundException".equals(api.call("intake", "DescribeDataset", Map.of("datasetArn", arn)).errorType());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var execution = runtime.deletionWorkflows().execution("big");
        assertThat(execution.name()).isEqualTo("big.1");
        assertThat(execution.history()).filteredOn("DeleteSome"::equals).as("steps of at most %d records",
                DatasetService.DELETE_STEP_RECORDS).hasSize(3);
        for (int i : new int[] {0, rows / 2, rows - 1}) {
            assertThat(runtime.services().records.get("big", dataset.generation(), "k" + i)).isEmpty();
        }
        assertThat(api.call("intake", "CreateDataset", Map.of("name", "big", "schema", SCHEMA, "keyFields", List.of("ID")))
                .ok()).as("the name is free again").isTrue();
    }

    @Test
    void theGenerationAFullImportReplacedIsDeletedAfterTheImportEnded() throws Exception {
        String arn = api.ok("intake", "CreateDataset", Map.of("name", "twice", "schema", SCHEMA, "keyFields", List.of("ID")))
                .get("datasetArn").asText();
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("exports/twice/a.csv"),
                RequestBody.fromString("ID\na\nb\n", StandardCharsets.UTF_8));
        importAndWait("twice-1", arn);
        String first = runtime.services().datasets.describe("twice").generation();
        assertThat(runtime.services().records.get("twice", first, "a")).isPresent();

        importAndWait("twice-2", arn);

        await("the replaced generation's deletion", () -> runtime.services().datasets.describe("twice").retiredGenerations().isEmpty()
                && runtime.services().records.get("twice", first, "a").isEmpty());
        assertThat(runtime.services().datasets.record("twice", Map.of("ID", "a"))).isPresent();
    }

    private static void importAndWait(String job, String datasetArn) throws Exception {
        String arn = api.ok("personalize", "CreateDatasetImportJob", Map.of("jobName", job, "datasetArn", datasetArn,
                "dataSource", Map.of("dataLocation", "s3://intake-landing/exports/twice/"))).get("datasetImportJobArn").asText();
        await("import " + job, () -> {
            try {
                JsonNode described = api.ok("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn", arn));
                return described.get("datasetImportJob").get("status").asText().equals("ACTIVE");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
