package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize CreateDatasetGroup: ACTIVE at once (nothing to provision), with its tags. */
public final class CreateDatasetGroupHandler extends PersonalizeOperation {
    public CreateDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetGroupHandler(Services services) {
        super(services, "CreateDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var group = personalize().createGroup(text(request, "name"), text(request, "roleArn"), text(request, "kmsKeyArn"),
                text(request, "domain"), tags(request));
        var response = Json.MAPPER.createObjectNode().put("datasetGroupArn", arns.of(Arns.DATASET_GROUP, group.name()));
        if (group.domain() != null) {
            response.put("domain", group.domain());
        }
        return response;
    }
}
