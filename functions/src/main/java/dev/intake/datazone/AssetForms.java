package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;

/** assetFormsInput kept and answered as assetFormsOutput (Intake records them; it has no asset catalog). */
final class AssetForms {
    private AssetForms() {
    }

    static ArrayNode output(JsonNode input) {
        ArrayNode output = Json.MAPPER.createArrayNode();
        for (JsonNode form : input) {
            ObjectNode out = output.addObject();
            out.set("formName", form.get("formName"));
            if (form.hasNonNull("typeIdentifier")) {
                out.set("typeName", form.get("typeIdentifier"));
            }
            if (form.hasNonNull("typeRevision")) {
                out.set("typeRevision", form.get("typeRevision"));
            }
            if (form.hasNonNull("content")) {
                out.set("content", form.get("content"));
            }
        }
        return output;
    }
}
