package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/**
 * Run on a schedule, the safety net of the dataset queues: the job first in each queue gets an
 * execution if it has none running (its start was lost, or StartExecution was throttled), and one
 * whose execution ended abnormally without a status-change event reaching Intake is failed.
 */
public final class ResumeUnfinishedJobsTask extends WorkflowTask {
    public ResumeUnfinishedJobsTask() {
        this(Services.fromEnvironment());
    }

    public ResumeUnfinishedJobsTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        return Json.MAPPER.createObjectNode().put("unfinishedJobs", services.workflow.resumeUnfinished())
                .put("datasetsWithRecordsToDelete", services.datasets.resumeDeletions());
    }
}
