package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;
import java.time.Instant;

/** Forecast UpdateDatasetGroup: replaces the group's datasets (checked as CreateDatasetGroup checks them). */
public final class UpdateDatasetGroupHandler extends ForecastOperation {
    public UpdateDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public UpdateDatasetGroupHandler(Services services) {
        super(services, "UpdateDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.datasetGroupName(text(request, "DatasetGroupArn"));
        var entry = store().find(Kind.DATASET_GROUP, name)
                .orElseThrow(() -> IntakeException.notFound("Dataset group '" + name + "' does not exist"));
        var group = DatasetGroups.parse(entry.document());
        var datasetArns = DatasetGroups.check(request.path("DatasetArns"), group.domain(), arns, services.datasets);
        try {
            store().update(Kind.DATASET_GROUP, name, new DatasetGroups(group.domain(), datasetArns, group.tags()).document(),
                    entry.version(), Instant.now());
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.CONFLICT) { // another update won meanwhile: the group is busy, as Forecast says it
                throw new IntakeException(ErrorKind.IN_USE, e.getMessage());
            }
            throw e;
        }
        return null;
    }
}
