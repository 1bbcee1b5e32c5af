package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DescribeDatasetExportJob. */
public final class DescribeDatasetExportJobHandler extends PersonalizeOperation {
    public DescribeDatasetExportJobHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetExportJobHandler(Services services) {
        super(services, "DescribeDatasetExportJob");
    }

    /** An IAM role's ARN, as CreateDatasetExportJob's RoleArn shape takes it. */
    private static final java.util.regex.Pattern ROLE_ARN = java.util.regex.Pattern.compile(
            "arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");

    /**
     * The model gives DatasetExportJob.roleArn its Arn shape, whose pattern only Personalize's own
     * ARNs match, while the job's role is an IAM role (CreateDatasetExportJob's RoleArn shape, which
     * AWS answers with too): the role the request gave passes the check as a stand-in.
     */
    @Override
    protected JsonNode conformanceView(JsonNode response) {
        JsonNode view = response.deepCopy();
        JsonNode job = view.path("datasetExportJob");
        if (job instanceof com.fasterxml.jackson.databind.node.ObjectNode object && job.path("roleArn").isTextual()
                && ROLE_ARN.matcher(job.get("roleArn").asText()).matches()) {
            object.put("roleArn", arns.of("role", "stand-in"));
        }
        return view;
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.nameOf(Arns.EXPORT_JOB, text(request, "datasetExportJobArn"), "Dataset export job");
        var response = Json.MAPPER.createObjectNode();
        response.set("datasetExportJob", PersonalizeViews.datasetExportJob(exports().describe(name), arns, true));
        return response;
    }
}
