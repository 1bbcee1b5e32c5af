package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Dialect;
import dev.intake.api.JsonApiHandler;
import dev.intake.app.Services;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore;
import dev.intake.core.ports.LookoutStore.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Base of Amazon Lookout for Equipment's operations: its ARNs, its store, its datasets, tags and client tokens. */
abstract class LookoutOperation extends JsonApiHandler {
    /** At most this many tags on a resource: the model's TagList limit. */
    static final int MAX_TAGS = 200;

    protected final LookoutArns arns;

    LookoutOperation(Services services, String operation) {
        super(services, Dialect.LOOKOUTEQUIPMENT, operation);
        this.arns = new LookoutArns(services.deployment);
    }

    protected LookoutStore store() {
        if (services.lookout == null) {
            throw new IllegalStateException("this storage keeps no Lookout for Equipment resources");
        }
        return services.lookout;
    }

    /** A Lookout dataset: Lookout's view of it (with its version) and the Intake dataset it is. */
    record Found(LookoutStore.Entry entry, LookoutDataset view, Dataset dataset) {
        String name() {
            return dataset.name();
        }
    }

    /** The Lookout dataset of that name; NOT_FOUND if Lookout made none, or it was deleted (by either API). */
    protected Found dataset(String name) {
        Optional<Found> found = findDataset(name);
        return found.orElseThrow(() -> IntakeException.notFound("Dataset '" + name + "' does not exist"));
    }

    protected Optional<Found> findDataset(String name) {
        Optional<LookoutStore.Entry> entry = store().find(Kind.DATASET, name);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        // A dataset made after the view (the view's outlived a deletion through another API) is not Lookout's.
        return services.datasetStore.find(name).filter(d -> !d.status().deleting())
                .filter(d -> d.createdAt().toEpochMilli() <= entry.get().createdAt().toEpochMilli()) // stores keep ms
                .map(d -> new Found(entry.get(), LookoutDataset.parse(entry.get().document()), d));
    }

    /** Tags as given (the model checks keys and values): each key once, at most {@value #MAX_TAGS}. */
    static Map<String, String> tags(JsonNode list) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : list) {
            if (tags.put(tag.get("Key").asText(), tag.get("Value").asText()) != null) {
                throw IntakeException.invalid("Tags name the same Key twice");
            }
        }
        return tags;
    }

    static void requireTagLimit(int count) {
        if (count > MAX_TAGS) {
            throw new IntakeException(ErrorKind.LIMIT_EXCEEDED, "A resource can have at most " + MAX_TAGS
                    + " tags; this would give it " + count);
        }
    }

    /**
     * What a client token was first used for. The request's members except ClientToken are what
     * "the same request" means; another request with the token is a ConflictException.
     *
     * @return the stored document of the token's first use, if it was used with this request before
     */
    protected Optional<JsonNode> tokenUse(String operation, String token, JsonNode request) {
        Optional<LookoutStore.Entry> entry = store().find(Kind.CLIENT_TOKEN, operation + "/" + token);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        JsonNode stored = storedDocument(entry.get().document());
        if (!stored.get("Request").equals(withoutToken(request))) {
            throw new IntakeException(ErrorKind.CONFLICT, "ClientToken '" + token + "' was used with another " + operation
                    + " request; use a new token for a new request");
        }
        return Optional.of(stored);
    }

    /** Records a token's first use; CONFLICT if a concurrent request took it first. */
    protected void claimToken(String operation, String token, JsonNode request, ObjectNode outcome) {
        outcome.set("Request", withoutToken(request));
        try {
            store().create(Kind.CLIENT_TOKEN, operation + "/" + token, dev.intake.api.Json.write(outcome),
                    java.time.Instant.now());
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                throw new IntakeException(ErrorKind.CONFLICT, "ClientToken '" + token + "' is being used by another "
                        + operation + " request at this moment; try again");
            }
            throw e;
        }
    }

    protected void releaseToken(String operation, String token) {
        store().delete(Kind.CLIENT_TOKEN, operation + "/" + token);
    }

    private static JsonNode withoutToken(JsonNode request) {
        ObjectNode copy = request.deepCopy();
        copy.remove("ClientToken");
        return copy;
    }

    static JsonNode storedDocument(String document) {
        try {
            return dev.intake.api.Json.parse(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored Lookout document is not JSON", e);
        }
    }

    protected int maxResults(JsonNode request) {
        return request.path("MaxResults").asInt(50);
    }
}
