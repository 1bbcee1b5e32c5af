package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Lists a domain's data sources of a project, by id, at most maxResults (50 by default) a page;
 * the type, status, name and environment filters keep the matching ones of each page (a page may
 * hold fewer than maxResults and still have a nextToken).
 */
public final class ListDataSourcesHandler extends DataZoneOperation {
    public ListDataSourcesHandler() {
        this(Services.fromEnvironment());
    }

    public ListDataSourcesHandler(Services services) {
        super(services, "ListDataSources");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        domain(domainId);
        var page = page(request, Kind.DATA_SOURCE, domainId + "/", maxResults(request, 50));
        ObjectNode response = Json.MAPPER.createObjectNode();
        var items = response.putArray("items");
        for (var entry : page.items()) {
            ObjectNode source = document(entry);
            if (matches(source, "projectId", request.get("projectIdentifier"))
                    && matches(source, "environmentId", request.get("environmentIdentifier"))
                    && matches(source, "connectionId", request.get("connectionIdentifier"))
                    && matches(source, "type", request.get("type")) && matches(source, "status", request.get("status"))
                    && matches(source, "name", request.get("name"))) {
                ObjectNode summary = project(source, "DataSourceSummary");
                summary.put("dataSourceId", source.get("id").asText());
                items.add(summary);
            }
        }
        if (page.lastKey() != null) {
            response.put("nextToken", page.lastKey());
        }
        return response;
    }

    private static boolean matches(ObjectNode source, String member, JsonNode filter) {
        return filter == null || filter.isNull() || filter.asText().equals(source.path(member).asText());
    }
}
