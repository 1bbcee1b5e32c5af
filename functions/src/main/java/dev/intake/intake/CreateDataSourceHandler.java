package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.DataSourceService.NewDataSource;

/**
 * Saves a data source: a folder (or bucket) that imports into a dataset, with an optional schedule
 * (its EventBridge schedule is made with it; if that fails, nothing is saved).
 */
public final class CreateDataSourceHandler extends IntakeOperation {
    public CreateDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDataSourceHandler(Services services) {
        super(services, "CreateDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var source = services.sources.create(new NewDataSource(text(request, "name"), text(request, "dataLocation"),
                datasetName(request), DataSourceViews.importMode(request), DataSourceViews.schedule(request),
                DataSourceViews.bool(request, "enabled"), text(request, "roleArn"),
                DataSourceViews.maxFailedRowsPercent(request), DataSourceViews.tags(request)));
        return Json.MAPPER.createObjectNode().put("dataSourceArn", arns.of(Arns.DATA_SOURCE, source.name()));
    }
}
