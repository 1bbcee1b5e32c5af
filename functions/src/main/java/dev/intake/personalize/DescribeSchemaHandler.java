package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DescribeSchema. */
public final class DescribeSchemaHandler extends PersonalizeOperation {
    public DescribeSchemaHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeSchemaHandler(Services services) {
        super(services, "DescribeSchema");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.nameOf(Arns.SCHEMA, text(request, "schemaArn"), "Schema");
        var node = Json.MAPPER.createObjectNode();
        node.set("schema", PersonalizeViews.schema(personalize().describeSchema(name), arns, true));
        return node;
    }
}
