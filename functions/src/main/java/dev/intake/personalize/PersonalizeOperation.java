package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.api.JsonApiHandler;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeService;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Personalize operation on schemas, dataset groups, datasets or tags: ARNs, tags and pages as Personalize has them. */
abstract class PersonalizeOperation extends JsonApiHandler {
    protected final Arns arns;

    PersonalizeOperation(Services services, String operation) {
        super(services, Dialect.PERSONALIZE, operation);
        this.arns = new Arns(services.deployment, Dialect.PERSONALIZE.arnService());
    }

    protected PersonalizeService personalize() {
        if (services.personalize == null) {
            throw new IllegalStateException("this process keeps no Personalize resources");
        }
        return services.personalize;
    }

    protected dev.intake.core.export.ExportJobService exports() {
        if (services.exports == null) {
            throw new IllegalStateException("this process keeps no dataset export jobs");
        }
        return services.exports;
    }

    /** A Personalize dataset's ARN ({@code dataset/<group>/<TYPE>}) as its group and type. */
    protected record DatasetId(String group, DatasetType type) {
    }

    protected DatasetId datasetId(String arn) {
        String name = arns.nameOf(Arns.DATASET, arn, "Dataset");
        int dot = name.indexOf('.');
        if (dot < 0) {
            throw IntakeException.notFound("Dataset " + arn + " is not a Personalize dataset (it has no dataset group)");
        }
        try {
            return new DatasetId(name.substring(0, dot), DatasetType.valueOf(name.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            throw IntakeException.notFound("Dataset " + arn + " does not exist");
        }
    }

    /** The tags list of a request (its keys distinct), as a map. */
    protected static Map<String, String> tags(JsonNode request) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : request.path("tags")) {
            if (tags.put(tag.get("tagKey").asText(), tag.get("tagValue").asText()) != null) {
                throw IntakeException.invalid("tags name the same tagKey twice"); // tag keys are sensitive: not echoed
            }
        }
        return tags;
    }

    /** maxResults (1-100 by the model), default 100. */
    protected static int maxResults(JsonNode request) {
        return request.path("maxResults").asInt(100);
    }
}
