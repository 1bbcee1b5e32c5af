package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.LookoutStore.Kind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lookout UntagResource: removes tags of a dataset by key (keys it does not have are no error). */
public final class UntagResourceHandler extends LookoutOperation {
    public UntagResourceHandler() {
        this(Services.fromEnvironment());
    }

    public UntagResourceHandler(Services services) {
        super(services, "UntagResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        Found found = TagTarget.find(this, arns, text(request, "ResourceArn"));
        Map<String, String> tags = new LinkedHashMap<>(found.view().tags());
        request.path("TagKeys").forEach(key -> tags.remove(key.asText()));
        store().update(Kind.DATASET, found.name(), found.view().withTags(tags).document(), found.entry().version(),
                Instant.now());
        return Json.MAPPER.createObjectNode();
    }
}
