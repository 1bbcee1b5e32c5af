package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;

/**
 * Deletes a dataset and its records asynchronously: the dataset is DELETE PENDING at once and the
 * deletion workflow deletes its records, then the dataset. Refused while an import is pending or
 * running.
 */
public final class DeleteDatasetHandler extends IntakeOperation {
    public DeleteDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetHandler(Services services) {
        super(services, "DeleteDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        services.datasets.delete(datasetName(request));
        return null;
    }
}
