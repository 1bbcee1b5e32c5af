package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize ListDatasets: a group's (or every group's) datasets, a page at a time. */
public final class ListDatasetsHandler extends PersonalizeOperation {
    public ListDatasetsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetsHandler(Services services) {
        super(services, "ListDatasets");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String group = null;
        if (text(request, "datasetGroupArn") != null) {
            try {
                group = arns.nameOf(Arns.DATASET_GROUP, text(request, "datasetGroupArn"), "Dataset group");
            } catch (dev.intake.core.IntakeException e) {
                // the model has no ResourceNotFoundException here: a group that does not exist has no datasets
                return Json.MAPPER.createObjectNode().set("datasets", Json.MAPPER.createArrayNode());
            }
        }
        String scope = "personalize:ListDatasets:" + (group == null ? "" : group);
        String token = text(request, "nextToken");
        var page = personalize().listDatasets(group, token == null ? null : services.pageTokens().open(scope, token),
                maxResults(request));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("datasets");
        page.items().forEach(d -> list.add(PersonalizeViews.dataset(d, arns, false)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(scope, page.lastKey()));
        }
        return response;
    }
}
