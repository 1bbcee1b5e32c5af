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

    /** An IAM role's ARN, as CreateDatasetImportJob takes roleArn (the model's RoleArn pattern). */
    private static final java.util.regex.Pattern ROLE_ARN = java.util.regex.Pattern.compile(
            "arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");

    /**
     * The model gives DatasetImportJob.roleArn its Arn shape, whose pattern only Personalize's own ARNs
     * match, yet the job's roleArn is the IAM role it was created with (a RoleArn): in the output check
     * such a role stands in as a value of the Arn shape. The response itself is unchanged.
     */
    @Override
    protected JsonNode conformanceView(JsonNode response) {
        JsonNode view = response.deepCopy();
        if (view.path("datasetImportJob") instanceof com.fasterxml.jackson.databind.node.ObjectNode job
                && job.path("roleArn").isTextual() && job.get("roleArn").asText().length() <= 256
                && ROLE_ARN.matcher(job.get("roleArn").asText()).matches()) {
            job.put("roleArn", "arn:aws:personalize:::role");
        }
        return view;
    }
}
