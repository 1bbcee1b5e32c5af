package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;

/** Describes a domain, with its createdAt and lastUpdatedAt (epoch seconds: the model's default form). */
public final class GetDomainHandler extends DataZoneOperation {
    public GetDomainHandler() {
        this(Services.fromEnvironment());
    }

    public GetDomainHandler(Services services) {
        super(services, "GetDomain");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var entry = domain(request.get("identifier").asText());
        ObjectNode view = project(document(entry), "GetDomainOutput");
        view.put("createdAt", epochSeconds(entry.createdAt()));
        view.put("lastUpdatedAt", epochSeconds(entry.updatedAt()));
        return view;
    }
}
