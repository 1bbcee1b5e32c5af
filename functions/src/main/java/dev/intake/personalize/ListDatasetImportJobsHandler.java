package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;

/**
 * Personalize ListDatasetImportJobs: a dataset's import jobs (or every job), in creation order, a
 * page at a time. Any dataset's: one made through Intake's own API too.
 */
public final class ListDatasetImportJobsHandler extends PersonalizeOperation {
    public ListDatasetImportJobsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetImportJobsHandler(Services services) {
        super(services, "ListDatasetImportJobs");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = null;
        if (text(request, "datasetArn") != null) {
            try {
                dataset = arns.nameOf(Arns.DATASET, text(request, "datasetArn"), "Dataset");
            } catch (IntakeException e) {
                // the model has no ResourceNotFoundException here: a dataset that does not exist has no jobs
                return Json.MAPPER.createObjectNode().set("datasetImportJobs", Json.MAPPER.createArrayNode());
            }
        }
        String scope = "personalize:ListDatasetImportJobs:" + (dataset == null ? "" : dataset);
        String token = text(request, "nextToken");
        var page = services.jobs.list(dataset, token == null ? null : services.pageTokens().open(scope, token),
                maxResults(request));
        var response = Json.MAPPER.createObjectNode();
        var list = response.putArray("datasetImportJobs");
        page.items().forEach(job -> list.add(PersonalizeViews.datasetImportJobSummary(job, arns, dialect)));
        if (page.lastKey() != null) {
            response.put("nextToken", services.pageTokens().issue(scope, page.lastKey()));
        }
        return response;
    }
}
