package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.ForecastStore.Kind;

/** Forecast ListDatasetGroups: by name, a page at a time (MaxResults 1-100, default 100). */
public final class ListDatasetGroupsHandler extends ForecastOperation {
    private static final String SCOPE = "forecast:ListDatasetGroups";

    public ListDatasetGroupsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetGroupsHandler(Services services) {
        super(services, "ListDatasetGroups");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String token = text(request, "NextToken");
        String after = token == null ? null : services.pageTokens().open(SCOPE, token);
        var page = store().list(Kind.DATASET_GROUP, after, maxResults(request));
        ObjectNode response = Json.MAPPER.createObjectNode();
        var list = response.putArray("DatasetGroups");
        page.items().forEach(e -> list.addObject().put("DatasetGroupArn", arns.datasetGroup(e.name()))
                .put("DatasetGroupName", e.name()).put("CreationTime", Json.epochSeconds(e.createdAt()))
                .put("LastModificationTime", Json.epochSeconds(e.updatedAt())));
        if (page.lastKey() != null) {
            response.put("NextToken", services.pageTokens().issue(SCOPE, page.lastKey()));
        }
        return response;
    }
}
