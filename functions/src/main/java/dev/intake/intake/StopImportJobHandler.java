package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;

/**
 * Stops an import job that has not ended: a pending one ends CREATE STOPPED at once, a running one
 * goes CREATE STOPPING and ends CREATE STOPPED when its execution has ended. Answers with the
 * job's ARN and status as the stop left it; a job that has ended is refused (InvalidInputException).
 */
public final class StopImportJobHandler extends IntakeOperation {
    public StopImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public StopImportJobHandler(Services services) {
        super(services, "StopImportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.nameOf(Arns.IMPORT_JOB, text(request, "datasetImportJobArn"), "Dataset import job");
        ImportJob job = services.workflow.stop(name);
        return Json.MAPPER.createObjectNode().put("datasetImportJobArn", arns.of(Arns.IMPORT_JOB, job.name()))
                .put("status", dialect.jobStatus(job.status()));
    }
}
