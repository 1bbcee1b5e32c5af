package dev.intake.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads one record of a dataset by its key, as the current generation holds it. */
public final class GetRecordHandler extends IntakeOperation {
    public GetRecordHandler() {
        this(Services.fromEnvironment());
    }

    public GetRecordHandler(Services services) {
        super(services, "GetRecord");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = datasetName(request);
        Map<String, Object> key = new LinkedHashMap<>();
        request.get("key").fields().forEachRemaining(e -> key.put(e.getKey(), scalar(e.getKey(), e.getValue())));
        String record = services.datasets.record(dataset, key).orElseThrow(() -> IntakeException.notFound(
                "Dataset '" + dataset + "' has no record with key " + Json.write(request.get("key"))));
        var response = Json.MAPPER.createObjectNode();
        try {
            response.set("record", Json.parse(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored records are canonical JSON", e);
        }
        return response;
    }

    private static Object scalar(String field, JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        throw IntakeException.invalid("key value of '" + field + "' must be a string, an integer or a boolean");
    }
}
