package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore.Kind;

/**
 * Deletes a data source: the saved source and its schedule (DataSourceService), then DataZone's view
 * and the record of what its runs imported. Its runs stay readable. Answers the source as it was,
 * status DELETING. A run still in progress is a ConflictException.
 */
public final class DeleteDataSourceHandler extends DataZoneOperation {
    public DeleteDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDataSourceHandler(Services services) {
        super(services, "DeleteDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        String id = request.get("identifier").asText();
        var entry = dataSource(domainId, id);
        for (var run : store.list(Kind.RUN, domainId + "/" + id + "-", null, 1000).items()) {
            if (!runs.refresh(run).path("_final").asBoolean()) {
                throw new IntakeException(ErrorKind.CONFLICT, "Data source '" + id + "' has a run in progress ("
                        + document(run).get("id").asText() + "); delete it when the run has ended");
            }
        }
        try {
            services.sources.delete(id);
        } catch (IntakeException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) { // gone already: an earlier delete stopped after it
                throw e;
            }
        }
        store.delete(Kind.DATA_SOURCE, entry.name());
        store.deleteAll(Kind.SOURCE_OBJECTS, id + "/");
        ObjectNode source = document(entry);
        source.put("status", "DELETING");
        return project(source, "DeleteDataSourceOutput");
    }
}
