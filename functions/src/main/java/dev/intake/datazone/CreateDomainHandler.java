package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Creates a domain: a namespace for data sources, AVAILABLE at once (there is no portal or
 * identity center to set up). Its domainExecutionRole is required here, as GetDomain answers it.
 * A clientToken seen before answers the domain it created, if the request is the same.
 */
public final class CreateDomainHandler extends DataZoneOperation {
    public CreateDomainHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDomainHandler(Services services) {
        super(services, "CreateDomain");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        if (!request.hasNonNull("domainExecutionRole")) {
            throw IntakeException.invalid("domainExecutionRole is required: Intake keeps it as the domain's role "
                    + "(GetDomain answers it)");
        }
        ObjectNode asked = ((ObjectNode) request.deepCopy());
        asked.remove("clientToken");
        var replay = ClientTokens.replay(store, "CreateDomain", request, asked);
        if (replay.isPresent()) {
            return project(document(domain(replay.get())), "CreateDomainOutput");
        }
        String id = "dzd_" + runs.randomId(14);
        ObjectNode domain = Json.MAPPER.createObjectNode();
        domain.put("id", id);
        domain.put("name", request.get("name").asText());
        for (String member : new String[] {"description", "singleSignOn", "domainExecutionRole", "kmsKeyIdentifier",
                "tags", "domainVersion", "serviceRole"}) {
            if (request.hasNonNull(member)) {
                domain.set(member, request.get(member));
            }
        }
        domain.put("arn", services.deployment.arn("datazone", "domain", id));
        domain.put("managedAccountId", services.deployment.account());
        domain.put("status", "AVAILABLE");
        store.create(Kind.DOMAIN, id, write(domain), services.clock.instant());
        ClientTokens.remember(store, "CreateDomain", request, asked, id, services.clock.instant());
        return project(domain, "CreateDomainOutput");
    }
}
