package dev.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Deployment;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportStatistics;
import dev.intake.core.ImportTrigger;
import dev.intake.core.JobStateChange;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one shape of an "Import Job State Change" event's detail, in AWS and locally (README, "Import
 * job state-change events"): the job, its dataset, what started it, the previous and new status
 * (internal names: PENDING, IN_PROGRESS, ACTIVE, FAILED) and, once it ended, its outcome, with the
 * statistics named as DescribeImportJob names them. Times are ISO-8601 UTC, as in the event's own
 * {@code time}.
 */
public final class JobStateChangeEvents {
    private final Arns arns;

    public JobStateChangeEvents(Deployment deployment) {
        this.arns = new Arns(deployment, Dialect.INTAKE.arnService());
    }

    public JobEvent event(JobStateChange change) {
        return new JobEvent(change.jobName(), arns.of(Arns.IMPORT_JOB, change.jobName()), change.time(),
                Json.write(detail(change)));
    }

    public ObjectNode detail(JobStateChange change) {
        ImportJob job = change.job();
        ObjectNode detail = Json.MAPPER.createObjectNode();
        detail.put("jobName", job.name());
        detail.put("jobArn", arns.of(Arns.IMPORT_JOB, job.name()));
        detail.put("datasetName", job.datasetName());
        detail.put("datasetArn", arns.of(Arns.DATASET, job.datasetName()));
        detail.put("importMode", job.mode().name());
        detail.put("dataLocation", job.dataLocation());
        detail.set("startedBy", startedBy(job.trigger()));
        detail.put("previousStatus", change.previousStatus() == null ? null : change.previousStatus().name());
        detail.put("status", change.status().name());
        detail.put("createdAt", time(job.createdAt()));
        detail.put("updatedAt", time(change.time()));
        if (change.terminal()) {
            detail.set("statistics", statistics(job.statistics()));
            if (job.failureReason() != null) {
                detail.put("failureReason", job.failureReason());
            }
            if (job.errorReportLocation() != null) {
                detail.put("errorReportLocation", job.errorReportLocation());
            }
            if (job.statisticsLocation() != null) {
                detail.put("statisticsLocation", job.statisticsLocation());
            }
        }
        return detail;
    }

    /** What started a job: {"type": "SCHEDULE", "dataSourceName": "nightly"}; no name for API calls. */
    public static ObjectNode startedBy(ImportTrigger trigger) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", trigger.type().name());
        if (trigger.dataSourceName() != null) {
            node.put("dataSourceName", trigger.dataSourceName());
        }
        return node;
    }

    /** A job's statistics, as DescribeImportJob and the events name them. */
    public static ObjectNode statistics(ImportStatistics s) {
        ObjectNode stats = Json.MAPPER.createObjectNode();
        stats.put("recordsAdded", s.added());
        stats.put("recordsUpdated", s.updated());
        stats.put("recordsUnchanged", s.unchanged());
        stats.put("recordsSkipped", s.skipped());
        stats.put("recordsFailed", s.failed());
        stats.put("filesTotal", s.filesTotal());
        stats.put("filesIngested", s.filesIngested());
        stats.put("filesDiscarded", s.filesDiscarded());
        stats.put("bytes", s.bytes());
        return stats;
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
