package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore.Kind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lookout TagResource: adds or replaces tags of a dataset (the resources Intake keeps tags on here). */
public final class TagResourceHandler extends LookoutOperation {
    public TagResourceHandler() {
        this(Services.fromEnvironment());
    }

    public TagResourceHandler(Services services) {
        super(services, "TagResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        Map<String, String> added = tags(request.path("Tags"));
        Found found = TagTarget.find(this, arns, text(request, "ResourceArn"));
        Map<String, String> tags = new LinkedHashMap<>(found.view().tags());
        tags.putAll(added);
        requireTagLimit(tags.size());
        // conditioned on the version read: a concurrent change is a ConflictException, nothing lost
        store().update(Kind.DATASET, found.name(), found.view().withTags(tags).document(), found.entry().version(),
                Instant.now());
        return Json.MAPPER.createObjectNode();
    }
}
