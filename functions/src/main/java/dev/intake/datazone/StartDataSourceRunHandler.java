package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Runs a data source now (type PRIORITIZED), also when it is disabled: imports the objects that are
 * new or changed since its last run (see DataZoneRuns). A clientToken seen before for the same data
 * source answers that run as it is now.
 */
public final class StartDataSourceRunHandler extends DataZoneOperation {
    public StartDataSourceRunHandler() {
        this(Services.fromEnvironment());
    }

    public StartDataSourceRunHandler(Services services) {
        super(services, "StartDataSourceRun");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        var source = dataSource(domainId, request.get("dataSourceIdentifier").asText());
        ObjectNode asked = request.deepCopy();
        asked.remove("clientToken");
        var replay = ClientTokens.replay(store, "StartDataSourceRun", request, asked);
        if (replay.isPresent()) {
            var run = store.find(Kind.RUN, domainId + "/" + replay.get()).orElseThrow();
            return project(runs.refresh(run), "StartDataSourceRunOutput");
        }
        ObjectNode run = runs.start(source);
        ClientTokens.remember(store, "StartDataSourceRun", request, asked, run.get("id").asText(), services.clock.instant());
        return project(run, "StartDataSourceRunOutput");
    }
}
