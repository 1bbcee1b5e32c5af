package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * A run's activities: one per object its source's folder held, by key, with what became of it
 * (SUCCEEDED_CREATED, SUCCEEDED_UPDATED, UNCHANGED, FAILED with its errorMessage); database is the
 * bucket, technicalName the key, technicalDescription the object's URI. While the run's job is still
 * going, objects to import are not listed yet. maxResults (50 by default) a page, status filter.
 */
public final class ListDataSourceRunActivitiesHandler extends DataZoneOperation {
    public ListDataSourceRunActivitiesHandler() {
        this(Services.fromEnvironment());
    }

    public ListDataSourceRunActivitiesHandler(Services services) {
        super(services, "ListDataSourceRunActivities");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        String id = request.get("identifier").asText();
        domain(domainId);
        var entry = store.find(Kind.RUN, domainId + "/" + id).orElseThrow(() -> IntakeException.notFound(
                "Data source run '" + id + "' does not exist in domain '" + domainId + "'"));
        ObjectNode run = runs.refresh(entry);
        var activities = document(store.find(Kind.RUN_ACTIVITIES, entry.name()).orElseThrow()).get("items");
        String status = request.hasNonNull("status") ? request.get("status").asText() : null;
        String scope = "datazone:ListDataSourceRunActivities:" + entry.name();
        int from = request.hasNonNull("nextToken")
                ? Integer.parseInt(services.pageTokens().open(scope, request.get("nextToken").asText())) : 0;
        int limit = maxResults(request, 50);
        ObjectNode response = Json.MAPPER.createObjectNode();
        var items = response.putArray("items");
        int index = from;
        for (; index < activities.size() && items.size() < limit; index++) {
            JsonNode activity = activities.get(index);
            if (!activity.has("dataAssetStatus")) {
                continue; // still being imported
            }
            if (status == null || status.equals(activity.get("dataAssetStatus").asText())) {
                ObjectNode item = project((ObjectNode) activity, "DataSourceRunActivity");
                item.put("dataSourceRunId", id);
                item.put("projectId", run.get("projectId").asText());
                item.put("createdAt", run.get("createdAt").asText());
                item.put("updatedAt", run.get("updatedAt").asText());
                items.add(item);
            }
        }
        if (index < activities.size()) {
            response.put("nextToken", services.pageTokens().issue(scope, Integer.toString(index)));
        }
        return response;
    }
}
