package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.DataSourceService.Changes;

/**
 * Changes a data source: each member given replaces the source's, each one absent (or null) keeps
 * it; {@code removeSchedule: true} drops the schedule and {@code removeRoleArn: true} the role.
 * Answers with the source as it now is.
 */
public final class UpdateDataSourceHandler extends IntakeOperation {
    public UpdateDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public UpdateDataSourceHandler(Services services) {
        super(services, "UpdateDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = DataSourceViews.sourceName(arns, request);
        JsonNode dataset = request.get("datasetArn");
        var source = services.sources.update(name, new Changes(text(request, "dataLocation"),
                dataset == null || dataset.isNull() ? null : datasetName(request), DataSourceViews.importMode(request),
                DataSourceViews.schedule(request), Boolean.TRUE.equals(DataSourceViews.bool(request, "removeSchedule")),
                DataSourceViews.bool(request, "enabled"), text(request, "roleArn"),
                Boolean.TRUE.equals(DataSourceViews.bool(request, "removeRoleArn")),
                DataSourceViews.maxFailedRowsPercent(request)));
        var response = Json.MAPPER.createObjectNode();
        response.set("dataSource", DataSourceViews.full(arns, source));
        return response;
    }
}
