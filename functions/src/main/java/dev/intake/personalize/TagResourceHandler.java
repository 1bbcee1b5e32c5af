package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize TagResource: adds or replaces tags on a dataset group, dataset or import job. */
public final class TagResourceHandler extends PersonalizeOperation {
    public TagResourceHandler() {
        this(Services.fromEnvironment());
    }

    public TagResourceHandler(Services services) {
        super(services, "TagResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        TaggedResource resource = TaggedResource.of(arns, text(request, "resourceArn"));
        personalize().tag(resource.kind(), resource.name(), tags(request));
        return null;
    }
}
