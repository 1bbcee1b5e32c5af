package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;

/** Deletes a data source and its schedule; its jobs stay. */
public final class DeleteDataSourceHandler extends IntakeOperation {
    public DeleteDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDataSourceHandler(Services services) {
        super(services, "DeleteDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        services.sources.delete(DataSourceViews.sourceName(arns, request));
        return null;
    }
}
