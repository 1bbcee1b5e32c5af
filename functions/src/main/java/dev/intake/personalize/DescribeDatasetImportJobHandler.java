package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.api.JsonApiHandler;
import dev.intake.app.Services;

/** Personalize DescribeDatasetImportJob. */
public final class DescribeDatasetImportJobHandler extends JsonApiHandler {
    private final Arns arns;

    public DescribeDatasetImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetImportJobHandler(Services services) {
        super(services, Dialect.PERSONALIZE, "DescribeDatasetImportJob");
        this.arns = new Arns(services.deployment, Dialect.PERSONALIZE.arnService());
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.nameOf(Arns.IMPORT_JOB, text(request, "datasetImportJobArn"), "Dataset import job");
        var node = Json.MAPPER.createObjectNode();
        node.set("datasetImportJob", PersonalizeViews.datasetImportJob(services.jobs.describe(name), arns, dialect));
        return node;
    }
}
