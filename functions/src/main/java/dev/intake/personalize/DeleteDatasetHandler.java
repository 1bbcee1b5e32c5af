package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DeleteDataset: through Intake's deletion workflow (DELETE PENDING at once). */
public final class DeleteDatasetHandler extends PersonalizeOperation {
    public DeleteDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetHandler(Services services) {
        super(services, "DeleteDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        DatasetId id = datasetId(text(request, "datasetArn"));
        personalize().deleteDataset(id.group(), id.type());
        return null;
    }
}
