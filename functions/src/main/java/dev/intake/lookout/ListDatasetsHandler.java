package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.LookoutStore;
import dev.intake.core.ports.LookoutStore.Kind;

/**
 * Lookout ListDatasets: the datasets Lookout made, by name, optionally those whose name begins with
 * DatasetNameBeginsWith; NextToken signed and bound to that filter.
 */
public final class ListDatasetsHandler extends LookoutOperation {
    /** Store pages read per call at most, so one call stays short whatever the filter skips. */
    private static final int MAX_STORE_PAGES = 10;

    public ListDatasetsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetsHandler(Services services) {
        super(services, "ListDatasets");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String prefix = request.path("DatasetNameBeginsWith").asText("");
        String scope = "lookoutequipment:ListDatasets:" + prefix;
        String token = text(request, "NextToken");
        String after = token != null ? services.pageTokens().open(scope, token) : below(prefix);
        int max = maxResults(request);
        ObjectNode response = Json.MAPPER.createObjectNode();
        var list = response.putArray("DatasetSummaries");
        String last = null;
        boolean more = true;
        for (int pages = 0; pages < MAX_STORE_PAGES && list.size() < max && more; pages++) {
            var page = store().list(Kind.DATASET, after, max - list.size());
            for (LookoutStore.Entry entry : page.items()) {
                if (!entry.name().startsWith(prefix)) {
                    more = false; // names are in order: none further begins with it
                    break;
                }
                last = entry.name();
                findDataset(entry.name()).ifPresent(found -> list.addObject().put("DatasetName", found.name())
                        .put("DatasetArn", arns.dataset(found.name(), found.view().id()))
                        .put("Status", status(found)).put("CreatedAt", Json.epochSeconds(found.dataset().createdAt())));
            }
            more &= page.lastKey() != null;
            after = page.lastKey();
        }
        if (more && last != null) {
            response.put("NextToken", services.pageTokens().issue(scope, last));
        }
        return response;
    }

    private String status(Found found) {
        var last = java.util.Optional.ofNullable(found.view().lastJobId()).flatMap(services.jobStore::find);
        return last.isPresent() && LookoutViews.running(last.get()) ? "INGESTION_IN_PROGRESS"
                : found.dataset().fullImported() ? "ACTIVE" : "CREATED";
    }

    /** The greatest name before every name that begins with the prefix (names are ASCII), or null for none. */
    private static String below(String prefix) {
        if (prefix.isEmpty()) {
            return null;
        }
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) - 1) + "\uffff";
    }
}
