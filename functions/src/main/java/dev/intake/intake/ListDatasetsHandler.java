package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Lists datasets by name, a page at a time (maxResults 1-100, default 100). */
public final class ListDatasetsHandler extends IntakeOperation {
    private static final String SCOPE = "intake:ListDatasets";

    public ListDatasetsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetsHandler(Services services) {
        super(services, "ListDatasets");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String token = text(request, "nextToken");
        String after = token == null ? null : services.pageTokens().open(SCOPE, token);
        int limit = request.path("maxResults").asInt(100);
        var page = services.datasets.list(after, limit);
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("datasets");
        page.items().forEach(d -> list.add(summary(d)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(SCOPE, page.lastKey()));
        }
        return response;
    }
}
