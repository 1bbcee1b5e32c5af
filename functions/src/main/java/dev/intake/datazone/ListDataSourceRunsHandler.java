package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Lists a data source's runs, oldest first, at most maxResults (50 by default) a page; the status
 * filter keeps the matching runs of each page.
 */
public final class ListDataSourceRunsHandler extends DataZoneOperation {
    public ListDataSourceRunsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDataSourceRunsHandler(Services services) {
        super(services, "ListDataSourceRuns");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        String sourceId = request.get("dataSourceIdentifier").asText();
        dataSource(domainId, sourceId);
        var page = page(request, Kind.RUN, domainId + "/" + sourceId + "-", maxResults(request, 50));
        String status = request.hasNonNull("status") ? request.get("status").asText() : null;
        ObjectNode response = Json.MAPPER.createObjectNode();
        var items = response.putArray("items");
        for (var entry : page.items()) {
            ObjectNode run = runs.refresh(entry);
            if (status == null || status.equals(run.get("status").asText())) {
                items.add(project(run, "DataSourceRunSummary"));
            }
        }
        if (page.lastKey() != null) {
            response.put("nextToken", page.lastKey());
        }
        return response;
    }
}
