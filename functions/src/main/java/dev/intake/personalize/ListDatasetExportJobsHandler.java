package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;

/** Personalize ListDatasetExportJobs: a dataset's export jobs (or every one), by name, a page at a time. */
public final class ListDatasetExportJobsHandler extends PersonalizeOperation {
    public ListDatasetExportJobsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetExportJobsHandler(Services services) {
        super(services, "ListDatasetExportJobs");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = null;
        if (text(request, "datasetArn") != null) {
            try {
                dataset = arns.nameOf(Arns.DATASET, text(request, "datasetArn"), "Dataset");
            } catch (IntakeException e) {
                // the model has no ResourceNotFoundException here: a dataset that does not exist has no jobs
                return Json.MAPPER.createObjectNode().set("datasetExportJobs", Json.MAPPER.createArrayNode());
            }
        }
        String scope = "personalize:ListDatasetExportJobs:" + (dataset == null ? "" : dataset);
        String token = text(request, "nextToken");
        var page = exports().list(dataset, token == null ? null : services.pageTokens().open(scope, token),
                maxResults(request));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("datasetExportJobs");
        page.items().forEach(job -> list.add(PersonalizeViews.datasetExportJob(job, arns, false)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(scope, page.lastKey()));
        }
        return response;
    }
}
