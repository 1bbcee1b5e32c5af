package dev.intake.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.api.JsonApiHandler;
import dev.intake.app.Services;
import dev.intake.core.Dataset;

/** Base of Intake's own operations: Personalize's conventions and ARNs. */
abstract class IntakeOperation extends JsonApiHandler {
    protected final Arns arns;

    IntakeOperation(Services services, String operation) {
        super(services, Dialect.INTAKE, operation);
        this.arns = new Arns(services.deployment, Dialect.INTAKE.arnService());
    }

    protected String datasetName(com.fasterxml.jackson.databind.JsonNode request) {
        return arns.nameOf(Arns.DATASET, text(request, "datasetArn"), "Dataset");
    }

    protected ObjectNode summary(Dataset d) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", d.name());
        node.put("datasetArn", arns.of(Arns.DATASET, d.name()));
        // As Personalize reports a dataset: ACTIVE, DELETE PENDING, DELETE IN_PROGRESS.
        node.put("status", switch (d.status()) {
            case ACTIVE -> "ACTIVE";
            case DELETE_PENDING -> "DELETE PENDING";
            case DELETE_IN_PROGRESS -> "DELETE IN_PROGRESS";
        });
        node.put("creationDateTime", Json.epochSeconds(d.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(d.updatedAt()));
        return node;
    }
}
