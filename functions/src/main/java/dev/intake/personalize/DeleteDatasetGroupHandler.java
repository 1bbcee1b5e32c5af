package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DeleteDatasetGroup: refused while the group has datasets. */
public final class DeleteDatasetGroupHandler extends PersonalizeOperation {
    public DeleteDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetGroupHandler(Services services) {
        super(services, "DeleteDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        personalize().deleteGroup(arns.nameOf(Arns.DATASET_GROUP, text(request, "datasetGroupArn"), "Dataset group"));
        return null;
    }
}
