package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;

/** Describes a data source, with its last run (status, time, error, object count). */
public final class GetDataSourceHandler extends DataZoneOperation {
    public GetDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public GetDataSourceHandler(Services services) {
        super(services, "GetDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        return project(document(dataSource(request.get("domainIdentifier").asText(), request.get("identifier").asText())),
                "GetDataSourceOutput");
    }
}
