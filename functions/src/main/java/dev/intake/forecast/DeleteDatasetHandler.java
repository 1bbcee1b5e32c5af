package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;

/** Forecast DeleteDataset: Intake's deletion workflow (DELETE_PENDING at once, records deleted in steps);
 * ResourceInUseException while imports into it are pending or running. Dataset groups keep naming it, as in Forecast. */
public final class DeleteDatasetHandler extends ForecastOperation {
    public DeleteDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetHandler(Services services) {
        super(services, "DeleteDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        services.datasets.delete(arns.datasetName(text(request, "DatasetArn")));
        return null;
    }
}
