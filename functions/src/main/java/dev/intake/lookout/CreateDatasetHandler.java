package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore.Kind;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Lookout CreateDataset: an Intake dataset whose schema and key come from the InlineDataSchema (see
 * LookoutSchema), with Lookout's view of it (schema as given, KMS key, tags) in the Lookout store.
 * The same ClientToken with the same request answers the same dataset; with another, ConflictException.
 */
public final class CreateDatasetHandler extends LookoutOperation {
    private static final String OPERATION = "CreateDataset";

    public CreateDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetHandler(Services services) {
        super(services, OPERATION);
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = text(request, "DatasetName");
        String token = text(request, "ClientToken");
        String inline = request.path("DatasetSchema").path("InlineDataSchema").asText(null);
        if (inline == null) {
            throw IntakeException.invalid("DatasetSchema.InlineDataSchema is required here: Intake keeps a dataset's schema"
                    + " from its creation (a dataset without one, for ImportDataset, is not supported)");
        }
        LookoutSchema.Mapping mapping = LookoutSchema.map(inline);
        Map<String, String> tags = tags(request.path("Tags"));
        requireTagLimit(tags.size());

        Optional<JsonNode> earlier = tokenUse(OPERATION, token, request);
        String id;
        if (earlier.isPresent()) {
            id = earlier.get().get("Id").asText();
            var found = findDataset(name);
            if (found.isPresent() && found.get().view().id().equals(id)) {
                return response(name, id); // the same request again: the same dataset
            }
        } else {
            id = UUID.randomUUID().toString();
            claimToken(OPERATION, token, request, Json.MAPPER.createObjectNode().put("Id", id));
        }
        try {
            create(name, id, inline, mapping, text(request, "ServerSideKmsKeyId"), tags, earlier.isPresent());
        } catch (RuntimeException e) {
            if (earlier.isEmpty()) {
                releaseToken(OPERATION, token); // nothing was made: the token is free for another try
            }
            throw e;
        }
        return response(name, id);
    }

    private void create(String name, String id, String inline, LookoutSchema.Mapping mapping, String kmsKey,
                        Map<String, String> tags, boolean retry) {
        var stale = store().find(Kind.DATASET, name);
        if (stale.isPresent() && findDataset(name).isEmpty() && !retry) {
            store().delete(Kind.DATASET, name); // its Intake dataset was deleted (or made again) through another API
        }
        try {
            services.datasets.create(name, mapping.avroSchema(), mapping.keyFields());
        } catch (IntakeException e) {
            // A retried request whose first attempt made the Intake dataset and stopped before Lookout's view: go on.
            var existing = services.datasetStore.find(name);
            boolean resume = retry && e.kind() == ErrorKind.ALREADY_EXISTS && existing.isPresent()
                    && existing.get().schema().equals(mapping.avroSchema()) && !existing.get().status().deleting()
                    && store().find(Kind.DATASET, name).isEmpty();
            if (!resume) {
                throw e.kind() == ErrorKind.ALREADY_EXISTS ? new IntakeException(ErrorKind.CONFLICT,
                        "A dataset named '" + name + "' already exists (dataset names are shared with Intake's other APIs)") : e;
            }
        }
        try {
            // made after the Intake dataset: a view older than its dataset is a stale one (see findDataset)
            store().create(Kind.DATASET, name, new LookoutDataset(id, inline, arns.kmsKey(kmsKey), tags, null).document(),
                    Instant.now());
        } catch (IntakeException e) {
            throw e.kind() == ErrorKind.ALREADY_EXISTS
                    ? new IntakeException(ErrorKind.CONFLICT, "A dataset named '" + name + "' already exists") : e;
        }
    }

    private ObjectNode response(String name, String id) {
        return Json.MAPPER.createObjectNode().put("DatasetName", name).put("DatasetArn", arns.dataset(name, id))
                .put("Status", "CREATED");
    }
}
