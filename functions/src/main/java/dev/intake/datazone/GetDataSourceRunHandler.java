package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore.Kind;

/** Describes a run as it is now: its status follows its import job; its statistics once it has ended. */
public final class GetDataSourceRunHandler extends DataZoneOperation {
    public GetDataSourceRunHandler() {
        this(Services.fromEnvironment());
    }

    public GetDataSourceRunHandler(Services services) {
        super(services, "GetDataSourceRun");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        String id = request.get("identifier").asText();
        domain(domainId);
        var run = store.find(Kind.RUN, domainId + "/" + id).orElseThrow(() -> IntakeException.notFound(
                "Data source run '" + id + "' does not exist in domain '" + domainId + "'"));
        return project(runs.refresh(run), "GetDataSourceRunOutput");
    }
}
