package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize ListTagsForResource. */
public final class ListTagsForResourceHandler extends PersonalizeOperation {
    public ListTagsForResourceHandler() {
        this(Services.fromEnvironment());
    }

    public ListTagsForResourceHandler(Services services) {
        super(services, "ListTagsForResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        TaggedResource resource = TaggedResource.of(arns, text(request, "resourceArn"));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("tags");
        personalize().listTags(resource.kind(), resource.name()).forEach((k, v) -> list.addObject().put("tagKey", k).put("tagValue", v));
        return response;
    }
}
