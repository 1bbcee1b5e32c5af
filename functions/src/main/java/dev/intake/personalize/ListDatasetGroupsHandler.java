package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize ListDatasetGroups: by name, a page at a time. */
public final class ListDatasetGroupsHandler extends PersonalizeOperation {
    public ListDatasetGroupsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetGroupsHandler(Services services) {
        super(services, "ListDatasetGroups");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String scope = "personalize:ListDatasetGroups";
        String token = text(request, "nextToken");
        var page = personalize().listGroups(token == null ? null : services.pageTokens().open(scope, token), maxResults(request));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("datasetGroups");
        page.items().forEach(g -> list.add(PersonalizeViews.datasetGroup(g, arns, false)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(scope, page.lastKey()));
        }
        return response;
    }
}
