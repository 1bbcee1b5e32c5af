package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Deletes a domain that has no data sources left (ConflictException naming one otherwise, also with
 * skipDeletionCheck: Intake does not delete a domain's data sources for it). Answers DELETED: it is
 * gone when the call returns.
 */
public final class DeleteDomainHandler extends DataZoneOperation {
    public DeleteDomainHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDomainHandler(Services services) {
        super(services, "DeleteDomain");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String id = request.get("identifier").asText();
        domain(id);
        var sources = store.list(Kind.DATA_SOURCE, id + "/", null, 1).items();
        if (!sources.isEmpty()) {
            throw new IntakeException(ErrorKind.CONFLICT, "Domain '" + id + "' still has data sources (such as '"
                    + document(sources.get(0)).get("id").asText() + "'); delete them first");
        }
        store.delete(Kind.DOMAIN, id);
        return Json.MAPPER.createObjectNode().put("status", "DELETED");
    }
}
