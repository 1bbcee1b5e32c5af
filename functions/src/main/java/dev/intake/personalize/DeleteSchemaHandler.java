package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DeleteSchema: refused while a dataset uses the schema. */
public final class DeleteSchemaHandler extends PersonalizeOperation {
    public DeleteSchemaHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteSchemaHandler(Services services) {
        super(services, "DeleteSchema");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        personalize().deleteSchema(arns.nameOf(Arns.SCHEMA, text(request, "schemaArn"), "Schema"));
        return null;
    }
}
