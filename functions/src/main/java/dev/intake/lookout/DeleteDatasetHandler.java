package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore.Kind;

/**
 * Lookout DeleteDataset: Intake's deletion (the dataset's records go in steps, by the deletion
 * workflow), and Lookout's view of it at once; ConflictException while an ingestion job waits or runs.
 * Its ingestion jobs stay describable.
 */
public final class DeleteDatasetHandler extends LookoutOperation {
    public DeleteDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetHandler(Services services) {
        super(services, "DeleteDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        Found found = dataset(text(request, "DatasetName"));
        try {
            services.datasets.delete(found.name());
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.IN_USE) {
                throw new IntakeException(ErrorKind.CONFLICT, "Dataset '" + found.name()
                        + "' has an ingestion job waiting or running; delete it when that has ended");
            }
            throw e;
        }
        store().delete(Kind.DATASET, found.name());
        return null;
    }
}
