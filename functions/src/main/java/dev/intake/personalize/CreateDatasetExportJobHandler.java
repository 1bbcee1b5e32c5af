package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.NewExport;
import dev.intake.core.personalize.PersonalizeService;
import java.util.Map;

/** Personalize CreateDatasetExportJob: starts writing a dataset's records to S3 as CSV. */
public final class CreateDatasetExportJobHandler extends PersonalizeOperation {
    public CreateDatasetExportJobHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetExportJobHandler(Services services) {
        super(services, "CreateDatasetExportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = arns.nameOf(Arns.DATASET, text(request, "datasetArn"), "Dataset");
        if (dataset.endsWith(".ACTIONS") || dataset.endsWith(".ACTION_INTERACTIONS")) {
            // as in Personalize, whose exports cover neither
            throw IntakeException.invalid("Data in an Actions or Action_Interactions dataset cannot be exported");
        }
        Map<String, String> tags = tags(request);
        PersonalizeService.checkTags(tags); // 50 at most, none reserved (aws:)
        String mode = text(request, "ingestionMode");
        JsonNode destination = request.path("jobOutput").path("s3DataDestination");
        ExportJob job = exports().create(new NewExport(text(request, "jobName"), dataset,
                // the model's default is PUT: data recorded one by one, which Intake does not have
                mode == null ? ExportJob.IngestionMode.PUT : ExportJob.IngestionMode.valueOf(mode),
                text(request, "roleArn"), destination.path("path").asText(null),
                destination.path("kmsKeyArn").asText(null), tags));
        return Json.MAPPER.createObjectNode().put("datasetExportJobArn", arns.of(Arns.EXPORT_JOB, job.name()));
    }
}
