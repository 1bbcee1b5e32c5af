package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Describes a data source with its schedule, role and tags. */
public final class DescribeDataSourceHandler extends IntakeOperation {
    public DescribeDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDataSourceHandler(Services services) {
        super(services, "DescribeDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var source = services.sources.describe(DataSourceViews.sourceName(arns, request));
        var response = Json.MAPPER.createObjectNode();
        response.set("dataSource", DataSourceViews.full(arns, source));
        return response;
    }
}
