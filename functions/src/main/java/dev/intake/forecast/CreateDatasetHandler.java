package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;
import java.util.ArrayList;
import java.util.List;

/** Forecast CreateDataset: an Intake dataset whose schema and keys come from the Forecast schema (see ForecastDatasets). */
public final class CreateDatasetHandler extends ForecastOperation {
    public CreateDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetHandler(Services services) {
        super(services, "CreateDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        List<ForecastDatasets.Attribute> attributes = new ArrayList<>();
        JsonNode list = request.path("Schema").path("Attributes");
        if (list.isEmpty()) {
            throw IntakeException.invalid("Schema.Attributes must name at least one attribute");
        }
        for (JsonNode a : list) {
            if (!a.hasNonNull("AttributeName") || !a.hasNonNull("AttributeType")) {
                throw IntakeException.invalid("Each of Schema.Attributes needs an AttributeName and an AttributeType");
            }
            attributes.add(new ForecastDatasets.Attribute(a.get("AttributeName").asText(), a.get("AttributeType").asText()));
        }
        tags(request); // checked as Forecast checks them; not kept (no ListTagsForResource yet)
        String name = text(request, "DatasetName");
        var mapping = ForecastDatasets.map(name, text(request, "Domain"), text(request, "DatasetType"),
                text(request, "DataFrequency"), attributes, request.get("EncryptionConfig"));
        services.datasets.create(name, mapping.avroSchema(), mapping.keyFields());
        return Json.MAPPER.createObjectNode().put("DatasetArn", arns.dataset(name));
    }
}
