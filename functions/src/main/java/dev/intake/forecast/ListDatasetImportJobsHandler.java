package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;
import dev.intake.core.ports.JobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Forecast ListDatasetImportJobs: every import job (whichever API started it) in creation order,
 * filtered by any combination of DatasetArn and Status with IS / IS_NOT, MaxResults 1-100 (default 100).
 * A page may hold fewer jobs than MaxResults while NextToken says there are more (filters are applied
 * to at most ten store pages per call). NextToken is signed, bound to the filters and lives 24 hours. */
public final class ListDatasetImportJobsHandler extends ForecastOperation {
    /** Store pages one call reads at most while filtering (so a rare match does not make a call scan everything). */
    private static final int MAX_STORE_PAGES = 10;
    /** The statuses the model documents for an import job. */
    private static final Set<String> STATUSES = Set.of("ACTIVE", "CREATE_PENDING", "CREATE_IN_PROGRESS", "CREATE_FAILED",
            "DELETE_PENDING", "DELETE_IN_PROGRESS", "DELETE_FAILED", "CREATE_STOPPING", "CREATE_STOPPED");
    /** Stands in for a Status filter's value in the model's checks (its Filter.Value is an Arn). */
    private static final String CHECKED_STATUS = "arn:aws:forecast:::status";

    public ListDatasetImportJobsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetImportJobsHandler(Services services) {
        super(services, "ListDatasetImportJobs");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        List<Filter> filters = new ArrayList<>();
        for (JsonNode f : request.path("Filters")) {
            String key = f.get("Key").asText();
            String value = f.get("Value").asText();
            if (!key.equals("DatasetArn") && !key.equals("Status")) {
                throw IntakeException.invalid("Filter Key must be DatasetArn or Status, not " + key);
            }
            if (key.equals("Status") && !STATUSES.contains(value)) {
                throw IntakeException.invalid("Status filter value " + value + " is not one of " + STATUSES.stream().sorted().toList());
            }
            filters.add(new Filter(key, value, f.get("Condition").asText().equals("IS")));
        }
        // the token is bound to the filters, whatever their order
        String scope = "forecast:ListDatasetImportJobs" + filters.stream().sorted(Comparator.comparing(Filter::toString))
                .map(Filter::toString).toList();
        String token = text(request, "NextToken");
        String position = token == null ? null : services.pageTokens().open(scope, token);
        int limit = maxResults(request);
        String dataset = null;
        for (Filter f : filters) {
            if (f.key().equals("DatasetArn") && f.is()) {
                dataset = f.value().startsWith(arns.dataset("")) ? f.value().substring(arns.dataset("").length()) : null;
                if (dataset == null) {
                    return page(List.of(), null, scope); // no dataset has that ARN here
                }
            }
        }
        List<ObjectNode> matched = new ArrayList<>();
        boolean exhausted = false;
        Instant now = Instant.now();
        for (int reads = 0; reads < MAX_STORE_PAGES && matched.size() < limit && !exhausted; reads++) {
            var page = services.jobStore.listJobs(dataset, position, limit);
            int seen = 0;
            for (ImportJob job : page.items()) {
                seen++;
                position = JobStore.listPosition(job);
                var settings = store().find(Kind.IMPORT_JOB, job.name()).map(e -> ImportSettings.parse(e.document()))
                        .orElse(ImportSettings.NONE);
                if (!settings.deleted() && filters.stream().allMatch(f -> f.test(job, arns, dialect))) {
                    matched.add(ForecastViews.summary(job, settings, arns, now));
                    if (matched.size() == limit) {
                        break;
                    }
                }
            }
            exhausted = page.lastKey() == null && seen == page.items().size();
        }
        return page(matched, exhausted ? null : position, scope);
    }

    private ObjectNode page(List<ObjectNode> jobs, String position, String scope) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        jobs.forEach(response.putArray("DatasetImportJobs")::add);
        if (position != null) {
            response.put("NextToken", services.pageTokens().issue(scope, position));
        }
        return response;
    }

    /**
     * The model types Filter.Value as an Arn, yet documents Status filters ("Value": "ACTIVE"): a
     * Status filter's value is checked against the statuses instead of the Arn pattern.
     */
    @Override
    protected JsonNode validationView(JsonNode request) {
        JsonNode view = request.deepCopy();
        for (JsonNode filter : view.path("Filters")) {
            if (filter instanceof ObjectNode f && "Status".equals(f.path("Key").asText()) && f.path("Value").isTextual()) {
                f.put("Value", CHECKED_STATUS);
            }
        }
        return view;
    }

    private record Filter(String key, String value, boolean is) {
        boolean test(ImportJob job, ForecastArns arns, dev.intake.api.Dialect dialect) {
            String actual = key.equals("DatasetArn") ? arns.dataset(job.datasetName()) : dialect.jobStatus(job.status());
            return actual.equals(value) == is;
        }
    }
}
