package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;

/** Forecast DeleteDatasetGroup: deletes the group, not its datasets. Nothing here uses a group, so it is never in use. */
public final class DeleteDatasetGroupHandler extends ForecastOperation {
    public DeleteDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetGroupHandler(Services services) {
        super(services, "DeleteDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.datasetGroupName(text(request, "DatasetGroupArn"));
        if (store().find(Kind.DATASET_GROUP, name).isEmpty()) {
            throw IntakeException.notFound("Dataset group '" + name + "' does not exist");
        }
        store().delete(Kind.DATASET_GROUP, name);
        return null;
    }
}
