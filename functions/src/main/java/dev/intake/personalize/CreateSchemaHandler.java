package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize CreateSchema: an Avro record schema under a name, checked as dataset schemas are. */
public final class CreateSchemaHandler extends PersonalizeOperation {
    public CreateSchemaHandler() {
        this(Services.fromEnvironment());
    }

    public CreateSchemaHandler(Services services) {
        super(services, "CreateSchema");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var schema = personalize().createSchema(text(request, "name"), text(request, "schema"), text(request, "domain"));
        return Json.MAPPER.createObjectNode().put("schemaArn", arns.of(Arns.SCHEMA, schema.name()));
    }
}
