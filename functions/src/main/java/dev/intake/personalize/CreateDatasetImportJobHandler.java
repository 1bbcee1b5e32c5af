package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.api.JsonApiHandler;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.IntakeException;
import dev.intake.core.ImportMode;
import dev.intake.core.NewImport;
import java.util.LinkedHashMap;
import java.util.Map;

/** Personalize CreateDatasetImportJob: starts an import into a dataset. */
public final class CreateDatasetImportJobHandler extends JsonApiHandler {
    private final Arns arns;

    public CreateDatasetImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetImportJobHandler(Services services) {
        super(services, Dialect.PERSONALIZE, "CreateDatasetImportJob");
        this.arns = new Arns(services.deployment, Dialect.PERSONALIZE.arnService());
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = arns.nameOf(Arns.DATASET, text(request, "datasetArn"), "Dataset");
        JsonNode location = request.path("dataSource").path("dataLocation");
        if (!location.isTextual()) {
            throw IntakeException.invalid("dataSource.dataLocation is required");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : request.path("tags")) {
            if (tags.put(tag.get("tagKey").asText(), tag.get("tagValue").asText()) != null) {
                throw IntakeException.invalid("tags name the same tagKey twice"); // tag keys are sensitive: not echoed
            }
        }
        dev.intake.core.personalize.PersonalizeService.checkTags(tags); // 50 at most, none reserved (aws:)
        String mode = text(request, "importMode");
        ImportJob job = services.jobs.create(new NewImport(text(request, "jobName"), dataset, location.asText(),
                mode == null ? ImportMode.FULL : ImportMode.valueOf(mode), text(request, "roleArn"), tags,
                request.path("publishAttributionMetricsToS3").asBoolean(false), maxFailedRowsPercent(request)));
        return Json.MAPPER.createObjectNode().put("datasetImportJobArn", arns.of(Arns.IMPORT_JOB, job.name()));
    }

    /** Intake's one extension of this request: the share of invalid rows a job tolerates (default 10). */
    private static Double maxFailedRowsPercent(JsonNode request) {
        return dev.intake.api.Json.optionalDouble(request, "maxFailedRowsPercent");
    }
}
