package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportTrigger;

/**
 * Runs a data source now: an import job of its location (started by DATA_SOURCE_RUN), also when the
 * source is disabled. Answers with the job's ARN.
 */
public final class StartDataSourceRunHandler extends IntakeOperation {
    public StartDataSourceRunHandler() {
        this(Services.fromEnvironment());
    }

    public StartDataSourceRunHandler(Services services) {
        super(services, "StartDataSourceRun");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = DataSourceViews.sourceName(arns, request);
        var job = services.sources.run(name, new ImportTrigger(ImportTrigger.Type.DATA_SOURCE_RUN, name));
        return Json.MAPPER.createObjectNode().put("datasetImportJobArn", arns.of(Arns.IMPORT_JOB, job.name()));
    }
}
