package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.DataZoneStore.Kind;
import dev.intake.core.ports.Page;

/**
 * A run's activities: one per object its source's folder held, by key, with what became of it
 * (SUCCEEDED_CREATED, SUCCEEDED_UPDATED, UNCHANGED, FAILED with its errorMessage); database is the
 * bucket, technicalName the key, technicalDescription the object's URI. While the run's job is still
 * going, objects to import are not listed yet. maxResults (50 by default) a page, status filter; the
 * activities are stored one per object and read page by page, the nextToken naming the last one read.
 */
public final class ListDataSourceRunActivitiesHandler extends DataZoneOperation {
    /** The most activities one call reads from the store (a page may hold fewer, and a nextToken for the rest). */
    static final int MAX_READ = 1000;

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
        String status = request.hasNonNull("status") ? request.get("status").asText() : null;
        String scope = "datazone:ListDataSourceRunActivities:" + entry.name();
        String after = request.hasNonNull("nextToken")
                ? services.pageTokens().open(scope, request.get("nextToken").asText()) : null;
        int limit = maxResults(request, 50);
        ObjectNode response = Json.MAPPER.createObjectNode();
        var items = response.putArray("items");
        boolean more = false;
        int read = 0;
        // a status filter may pass over many activities: a page reads at most MAX_READ of them
        while (items.size() < limit && read < MAX_READ) {
            Page<DataZoneStore.Entry> page = store.list(Kind.RUN_ACTIVITIES, entry.name() + "/", after,
                    Math.min(limit, MAX_READ - read));
            var stored = page.items();
            if (stored.isEmpty()) {
                after = page.lastKey();
                more = after != null;
            }
            for (int i = 0; i < stored.size() && items.size() < limit; i++) {
                ObjectNode activity = document(stored.get(i));
                after = stored.get(i).name();
                read++;
                more = i < stored.size() - 1 || page.lastKey() != null;
                if (!activity.has("dataAssetStatus")) {
                    continue; // still being imported
                }
                if (status == null || status.equals(activity.get("dataAssetStatus").asText())) {
                    ObjectNode item = project(activity, "DataSourceRunActivity");
                    item.put("dataSourceRunId", id);
                    item.put("projectId", run.get("projectId").asText());
                    item.put("createdAt", run.get("createdAt").asText());
                    item.put("updatedAt", run.get("updatedAt").asText());
                    items.add(item);
                }
            }
            if (page.lastKey() == null) {
                break;
            }
        }
        if (more) {
            response.put("nextToken", services.pageTokens().issue(scope, after));
        }
        return response;
    }
}
