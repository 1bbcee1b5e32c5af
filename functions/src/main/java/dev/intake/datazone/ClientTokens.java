package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.DataZoneStore.Kind;
import java.time.Instant;
import java.util.Optional;

/**
 * DataZone's idempotent creates: a clientToken seen before with the same request answers what that
 * request made; with another request, ConflictException. (The SDK fills in a token when the caller
 * gives none, so only a retry of the same call repeats one.)
 */
final class ClientTokens {
    private ClientTokens() {
    }

    /** The id the token's first request made, if the token was seen with this same request. */
    static Optional<String> replay(DataZoneStore store, String operation, JsonNode request, JsonNode asked) {
        if (!request.hasNonNull("clientToken")) {
            return Optional.empty();
        }
        return store.find(Kind.CLIENT_TOKEN, name(operation, request)).map(entry -> {
            JsonNode seen = DataZoneOperation.document(entry);
            if (!seen.get("request").equals(asked)) {
                throw new IntakeException(ErrorKind.CONFLICT, "clientToken '" + request.get("clientToken").asText()
                        + "' was used for a different " + operation + " request");
            }
            return seen.get("id").asText();
        });
    }

    /** Remembers what the token's request made (a concurrent first use of the token is a conflict). */
    static void remember(DataZoneStore store, String operation, JsonNode request, JsonNode asked, String id, Instant at) {
        if (!request.hasNonNull("clientToken")) {
            return;
        }
        var seen = Json.MAPPER.createObjectNode();
        seen.put("id", id);
        seen.set("request", asked);
        try {
            store.create(Kind.CLIENT_TOKEN, name(operation, request), Json.write(seen), at);
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                throw new IntakeException(ErrorKind.CONFLICT, "clientToken '" + request.get("clientToken").asText()
                        + "' is being used by another " + operation + " request at the same time");
            }
            throw e;
        }
    }

    private static String name(String operation, JsonNode request) {
        String scope = request.hasNonNull("domainIdentifier") ? request.get("domainIdentifier").asText() : "";
        return scope + "/" + operation + "/" + request.get("clientToken").asText();
    }
}
