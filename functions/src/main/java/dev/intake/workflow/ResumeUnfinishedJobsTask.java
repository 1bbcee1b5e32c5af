package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/**
 * Run on a schedule: starts the execution of every unfinished job again. Executions are named
 * after their job, so a running one is left alone; a job whose execution never started (the
 * process died, or StartExecution was throttled, after the job was stored) gets it now.
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
        return Json.MAPPER.createObjectNode().put("unfinishedJobs", services.jobs.resumeUnfinished());
    }
}
