package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportStatus;
import dev.intake.workflow.ExecutionEndedTask;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An export execution that ends without ending its job (stopped, timed out, failed outside its
 * steps) fails the job through the same end-of-execution handler as imports: in AWS nothing else
 * would ever move it out of CREATE IN_PROGRESS.
 */
class ExportExecutionEndedTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    private LocalFixture aws;
    private Services services;

    @BeforeEach
    void start() throws Exception {
        aws = new LocalFixture();
        services = aws.services(1 << 20);
        services.datasets.create("ds", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}",
                List.of("ID"));
    }

    @AfterEach
    void close() throws Exception {
        aws.close();
    }

    private void export(String name, ExportStatus status) {
        ExportJob job = new ExportJob(name, "ds", ExportJob.IngestionMode.ALL, null, "s3://data/out/", null, Map.of(),
                ExportStatus.PENDING, null, T0, T0, null);
        aws.storage.exports().create(job);
        if (status == ExportStatus.IN_PROGRESS) {
            assertThat(aws.storage.exports().replace(job.started("g", T0), ExportStatus.PENDING)).isTrue();
        } else if (status != ExportStatus.PENDING) {
            assertThat(aws.storage.exports().replace(job.ended(status, status == ExportStatus.FAILED ? "earlier" : null, T0),
                    ExportStatus.PENDING)).isTrue();
        }
    }

    private static JsonNode ended(String execution, String status, String input, String error) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("detail-type", ExecutionEndedTask.DETAIL_TYPE);
        ObjectNode detail = event.putObject("detail");
        detail.put("name", execution);
        detail.put("status", status);
        detail.put("input", input);
        if (error != null) {
            detail.put("error", error);
        }
        return event;
    }

    @Test
    void anExportExecutionStoppedMidwayFailsItsJobWithTheReason() {
        export("running", ExportStatus.IN_PROGRESS);
        export("waiting", ExportStatus.PENDING);

        new ExecutionEndedTask(services).run(ended("running.1", "ABORTED", "{\"exportJobName\":\"running\"}", "States.Stopped"));
        new ExecutionEndedTask(services).run(ended("waiting.1", "TIMED_OUT", "{\"exportJobName\":\"waiting\"}", null));

        ExportJob running = services.exports.describe("running");
        assertThat(running.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(running.failureReason())
                .isEqualTo("The export's execution ended ABORTED before the job did (States.Stopped); create the export job again");
        ExportJob waiting = services.exports.describe("waiting");
        assertThat(waiting.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(waiting.failureReason())
                .isEqualTo("The export's execution ended TIMED_OUT before the job did; create the export job again");
    }

    @Test
    void anExportItsExecutionEndedIsLeftAsItEnded() {
        export("done", ExportStatus.ACTIVE);
        export("failed", ExportStatus.FAILED);

        new ExecutionEndedTask(services).run(ended("done.1", "SUCCEEDED", "{\"exportJobName\":\"done\"}", null));
        new ExecutionEndedTask(services).run(ended("failed.1", "FAILED", "{\"exportJobName\":\"failed\"}", "X"));
        new ExecutionEndedTask(services).run(ended("gone.1", "ABORTED", "{\"exportJobName\":\"gone\"}", null));

        assertThat(services.exports.describe("done").status()).isEqualTo(ExportStatus.ACTIVE);
        assertThat(services.exports.describe("failed").failureReason()).isEqualTo("earlier");
    }

    @Test
    void anImportExecutionOfTheSameNameDoesNotTouchTheExport() {
        export("same", ExportStatus.IN_PROGRESS);

        new ExecutionEndedTask(services).run(ended("same.1", "ABORTED", "{\"jobName\":\"same\"}", null));

        assertThat(services.exports.describe("same").status()).isEqualTo(ExportStatus.IN_PROGRESS);
    }
}
