package dev.intake.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Deployment;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.ImportTrigger;
import dev.intake.core.JobStateChange;
import dev.intake.core.JobStatus;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented detail of "Import Job State Change" events, field for field (README). */
class JobStateChangeEventsTest {
    private static final Instant CREATED = Instant.parse("2025-03-01T10:00:00.250Z");
    private static final Instant ENDED = Instant.parse("2025-03-01T10:07:30Z");
    private final JobStateChangeEvents events = new JobStateChangeEvents(new Deployment("eu-west-1", "123456789012"));

    private static ImportJob job(JobStatus status, String reason, ImportStatistics statistics) {
        return new ImportJob("users-7", "users", "s3://landing/users/", ImportMode.INCREMENTAL, status, CREATED, ENDED,
                reason, null, Map.of(), true, 10, statistics, "s3://results/statistics/users-7.json",
                reason == null ? null : "s3://results/error-reports/users-7.csv",
                new ImportTrigger(ImportTrigger.Type.SCHEDULE, "nightly-users"));
    }

    /** The detail as a consumer reads it. */
    private JsonNode detail(JobStateChange change) throws Exception {
        return Json.parse(events.event(change).detail());
    }

    @Test
    void aCreatedJobsEventNamesTheJobItsDatasetWhatStartedItAndNoPreviousStatus() throws Exception {
        JobEvent event = events.event(new JobStateChange(job(JobStatus.PENDING, null, null), null, JobStatus.PENDING, CREATED));
        assertThat(event.jobName()).isEqualTo("users-7");
        assertThat(event.jobArn()).isEqualTo("arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/users-7");
        assertThat(event.time()).isEqualTo(CREATED);
        assertThat(Json.parse(event.detail())).isEqualTo(Json.parse("""
                {"jobName": "users-7",
                 "jobArn": "arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/users-7",
                 "datasetName": "users",
                 "datasetArn": "arn:aws:personalize:eu-west-1:123456789012:dataset/users",
                 "importMode": "INCREMENTAL",
                 "dataLocation": "s3://landing/users/",
                 "startedBy": {"type": "SCHEDULE", "dataSourceName": "nightly-users"},
                 "previousStatus": null,
                 "status": "PENDING",
                 "createdAt": "2025-03-01T10:00:00.250Z",
                 "updatedAt": "2025-03-01T10:00:00.250Z"}"""));
    }

    @Test
    void aRunningJobsEventHasNoOutcomeEvenIfTheJobHasEndedSince() throws Exception {
        // The local outbox reads the job when it publishes: a terminal job's outcome must not leak
        // into its earlier events.
        ImportJob ended = job(JobStatus.FAILED, "boom", new ImportStatistics(1, 2, 3, 4, 5, 6, 7, 8, 9));
        JsonNode detail = detail(new JobStateChange(ended, JobStatus.PENDING, JobStatus.IN_PROGRESS, CREATED.plusSeconds(1)));
        assertThat(detail.path("previousStatus").asText()).isEqualTo("PENDING");
        assertThat(detail.path("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(detail.path("updatedAt").asText()).isEqualTo("2025-03-01T10:00:01.250Z");
        assertThat(detail.has("statistics")).isFalse();
        assertThat(detail.has("failureReason")).isFalse();
        assertThat(detail.has("errorReportLocation")).isFalse();
        assertThat(detail.has("statisticsLocation")).isFalse();
    }

    @Test
    void anEndedJobsEventCarriesItsStatisticsAsDescribeImportJobNamesThemItsReasonAndReports() throws Exception {
        ImportJob failed = job(JobStatus.FAILED, "more than 10% of rows failed", new ImportStatistics(1, 2, 3, 4, 5, 6, 7, 8, 9));
        JsonNode detail = detail(new JobStateChange(failed, JobStatus.IN_PROGRESS, JobStatus.FAILED, ENDED));
        assertThat(detail.path("statistics")).isEqualTo(Json.parse("""
                {"recordsAdded": 1, "recordsUpdated": 2, "recordsUnchanged": 3, "recordsSkipped": 4, "recordsFailed": 5,
                 "filesTotal": 6, "filesIngested": 7, "filesDiscarded": 8, "bytes": 9}"""));
        assertThat(detail.path("failureReason").asText()).isEqualTo("more than 10% of rows failed");
        assertThat(detail.path("errorReportLocation").asText()).isEqualTo("s3://results/error-reports/users-7.csv");
        assertThat(detail.path("statisticsLocation").asText()).isEqualTo("s3://results/statistics/users-7.json");
        assertThat(detail.path("updatedAt").asText()).isEqualTo("2025-03-01T10:07:30Z");

        ImportJob active = new ImportJob("a", "users", "s3://l/", ImportMode.FULL, JobStatus.ACTIVE, CREATED, ENDED, null,
                null, Map.of(), false, 10, new ImportStatistics(3, 0, 0, 0, 0, 1, 1, 0, 30), null, null);
        JsonNode ok = detail(new JobStateChange(active, JobStatus.IN_PROGRESS, JobStatus.ACTIVE, ENDED));
        assertThat(ok.path("statistics").path("recordsAdded").asLong()).isEqualTo(3);
        assertThat(ok.path("startedBy")).isEqualTo(Json.parse("{\"type\": \"API\"}"));
        assertThat(ok.has("failureReason")).isFalse();
        assertThat(ok.has("errorReportLocation")).isFalse();
    }
}
