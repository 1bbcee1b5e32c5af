package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize UntagResource. */
public final class UntagResourceHandler extends PersonalizeOperation {
    public UntagResourceHandler() {
        this(Services.fromEnvironment());
    }

    public UntagResourceHandler(Services services) {
        super(services, "UntagResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        TaggedResource resource = TaggedResource.of(arns, text(request, "resourceArn"));
        java.util.List<String> keys = new java.util.ArrayList<>();
        request.path("tagKeys").forEach(k -> keys.add(k.asText()));
        personalize().untag(resource.kind(), resource.name(), keys);
        return null;
    }
}
