package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize ListSchemas: by name, a page at a time. */
public final class ListSchemasHandler extends PersonalizeOperation {
    public ListSchemasHandler() {
        this(Services.fromEnvironment());
    }

    public ListSchemasHandler(Services services) {
        super(services, "ListSchemas");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String scope = "personalize:ListSchemas";
        String token = text(request, "nextToken");
        var page = personalize().listSchemas(token == null ? null : services.pageTokens().open(scope, token), maxResults(request));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("schemas");
        page.items().forEach(s -> list.add(PersonalizeViews.schema(s, arns, false)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(scope, page.lastKey()));
        }
        return response;
    }
}
