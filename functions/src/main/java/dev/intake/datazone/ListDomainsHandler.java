package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Lists domains by id, at most maxResults (25 by default, the model's maximum) a page. Every domain
 * is AVAILABLE, so a status filter keeps all of them or none.
 */
public final class ListDomainsHandler extends DataZoneOperation {
    public ListDomainsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDomainsHandler(Services services) {
        super(services, "ListDomains");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var page = page(request, Kind.DOMAIN, "", maxResults(request, 25));
        String status = request.hasNonNull("status") ? request.get("status").asText() : null;
        ObjectNode response = Json.MAPPER.createObjectNode();
        var items = response.putArray("items");
        for (var entry : page.items()) {
            ObjectNode domain = document(entry);
            if (status == null || status.equals(domain.path("status").asText())) {
                ObjectNode summary = project(domain, "DomainSummary");
                summary.put("createdAt", epochSeconds(entry.createdAt()));
                summary.put("lastUpdatedAt", epochSeconds(entry.updatedAt()));
                items.add(summary);
            }
        }
        if (page.lastKey() != null) {
            response.put("nextToken", page.lastKey());
        }
        return response;
    }
}
