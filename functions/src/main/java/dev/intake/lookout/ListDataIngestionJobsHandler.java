package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ports.LookoutStore;
import dev.intake.core.ports.LookoutStore.Kind;
import java.util.Optional;

/**
 * Lookout ListDataIngestionJobs: ingestion jobs in the order they were started, optionally of one
 * dataset (DatasetName) and in one status; NextToken signed and bound to those filters. A page may
 * hold fewer jobs than MaxResults with a NextToken (filters are applied to at most ten store pages per call).
 */
public final class ListDataIngestionJobsHandler extends LookoutOperation {
    private static final int MAX_STORE_PAGES = 10;

    public ListDataIngestionJobsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDataIngestionJobsHandler(Services services) {
        super(services, "ListDataIngestionJobs");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = text(request, "DatasetName");
        String status = text(request, "Status");
        String scope = "lookoutequipment:ListDataIngestionJobs:" + (dataset == null ? "" : dataset) + ":"
                + (status == null ? "" : status);
        String token = text(request, "NextToken");
        String after = token == null ? null : services.pageTokens().open(scope, token);
        int max = maxResults(request);
        ObjectNode response = Json.MAPPER.createObjectNode();
        var list = response.putArray("DataIngestionJobSummaries");
        boolean more = true;
        String last = after;
        for (int pages = 0; pages < MAX_STORE_PAGES && list.size() < max && more; pages++) {
            var page = store().list(Kind.INGESTION_JOB, last, max - list.size());
            for (LookoutStore.Entry entry : page.items()) {
                last = entry.name();
                IngestionSettings settings = IngestionSettings.parse(entry.document());
                if (dataset != null && !dataset.equals(settings.datasetName())) {
                    continue;
                }
                Optional<ImportJob> job = services.jobStore.find(entry.name());
                if (job.isEmpty() || status != null && !status.equals(Dialect.LOOKOUTEQUIPMENT.jobStatus(job.get().status()))) {
                    continue;
                }
                list.add(LookoutViews.summary(entry.name(), job.get(), settings));
            }
            more = page.lastKey() != null;
        }
        if (more && last != null) {
            response.put("NextToken", services.pageTokens().issue(scope, last));
        }
        return response;
    }
}
