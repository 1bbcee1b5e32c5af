package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Lookout ListTagsForResource: a dataset's tags, in the order they were first given. */
public final class ListTagsForResourceHandler extends LookoutOperation {
    public ListTagsForResourceHandler() {
        this(Services.fromEnvironment());
    }

    public ListTagsForResourceHandler(Services services) {
        super(services, "ListTagsForResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        Found found = TagTarget.find(this, arns, text(request, "ResourceArn"));
        ObjectNode response = Json.MAPPER.createObjectNode();
        var list = response.putArray("Tags");
        found.view().tags().forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
        return response;
    }
}
