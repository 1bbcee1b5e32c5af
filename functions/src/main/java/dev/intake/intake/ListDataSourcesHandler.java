package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Lists data sources by name, a page at a time (maxResults 1-100, default 100). */
public final class ListDataSourcesHandler extends IntakeOperation {
    private static final String SCOPE = "intake:ListDataSources";

    public ListDataSourcesHandler() {
        this(Services.fromEnvironment());
    }

    public ListDataSourcesHandler(Services services) {
        super(services, "ListDataSources");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String token = text(request, "nextToken");
        String after = token == null ? null : services.pageTokens().open(SCOPE, token);
        var page = services.sources.list(after, request.path("maxResults").asInt(100));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("dataSources");
        page.items().forEach(s -> list.add(DataSourceViews.summary(arns, s)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(SCOPE, page.lastKey()));
        }
        return response;
    }
}
