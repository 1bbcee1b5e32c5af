package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;
import java.util.ArrayList;
import java.util.List;

/** Forecast ListDatasets: every dataset, by name, a page at a time (MaxResults 1-100, default 100). */
public final class ListDatasetsHandler extends ForecastOperation {
    private static final String SCOPE = "forecast:ListDatasets";

    public ListDatasetsHandler() {
        this(Services.fromEnvironment());
    }

    public ListDatasetsHandler(Services services) {
        super(services, "ListDatasets");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String token = text(request, "NextToken");
        String after = token == null ? null : services.pageTokens().open(SCOPE, token);
        var page = services.datasets.list(after, maxResults(request));
        ObjectNode response = Json.MAPPER.createObjectNode();
        var list = response.putArray("Datasets");
        for (Dataset d : page.items()) {
            var view = ForecastDatasets.view(d.schema());
            ObjectNode summary = list.addObject().put("DatasetArn", arns.dataset(d.name())).put("DatasetName", d.name());
            if (view.domain() != null) {
                summary.put("DatasetType", view.datasetType()).put("Domain", view.domain());
            }
            summary.put("CreationTime", Json.epochSeconds(d.createdAt()));
            summary.put("LastModificationTime", Json.epochSeconds(d.updatedAt()));
        }
        if (page.lastKey() != null) {
            response.put("NextToken", services.pageTokens().issue(SCOPE, page.lastKey()));
        }
        return response;
    }
}
