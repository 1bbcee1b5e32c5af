package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.DataSourceService;
import dev.intake.core.ImportMode;
import dev.intake.core.ports.DataZoneStore.Kind;
import java.time.Instant;

/**
 * Creates a data source in a domain: Intake's saved data source (its folder, dataset, role,
 * schedule, enabled: DataSourceService checks them all, and makes the schedule) under the new id,
 * and DataZone's view of it. The saved source is made first, so a refused one leaves nothing.
 */
public final class CreateDataSourceHandler extends DataZoneOperation {
    public CreateDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDataSourceHandler(Services services) {
        super(services, "CreateDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        domain(domainId);
        ObjectNode asked = request.deepCopy();
        asked.remove("clientToken");
        var replay = ClientTokens.replay(store, "CreateDataSource", request, asked);
        if (replay.isPresent()) {
            return project(document(dataSource(domainId, replay.get())), "CreateDataSourceOutput");
        }
        DataSourceSettings.checkType(request.get("type").asText());
        DataSourceSettings settings = DataSourceSettings.of(request.path("configuration"));
        boolean enabled = !"DISABLED".equals(request.path("enableSetting").asText());
        String id = runs.randomId(14);
        services.sources.create(new DataSourceService.NewDataSource(id, settings.location(), settings.datasetName(),
                ImportMode.INCREMENTAL, request.hasNonNull("schedule") ? DataSourceSettings.schedule(request.get("schedule"))
                : null, enabled, settings.roleArn(), null, java.util.Map.of(DataZoneRuns.DOMAIN_TAG, domainId,
                dev.intake.core.DataSource.RUNS_ONLY_TAG, "true")));
        Instant now = services.clock.instant();
        ObjectNode source = Json.MAPPER.createObjectNode();
        source.put("id", id);
        source.put("status", "READY");
        source.put("type", DataSourceSettings.TYPE);
        source.put("name", request.get("name").asText());
        if (request.hasNonNull("description")) {
            source.set("description", request.get("description"));
        }
        source.put("domainId", domainId);
        source.put("projectId", request.get("projectIdentifier").asText());
        if (request.hasNonNull("environmentIdentifier")) {
            source.set("environmentId", request.get("environmentIdentifier"));
        }
        if (request.hasNonNull("connectionIdentifier")) {
            source.set("connectionId", request.get("connectionIdentifier"));
        }
        source.set("configuration", DataSourceSettings.output(request.get("configuration"), services.deployment.account(),
                services.deployment.region()));
        if (request.hasNonNull("recommendation")) {
            source.set("recommendation", request.get("recommendation"));
        }
        source.put("enableSetting", enabled ? "ENABLED" : "DISABLED");
        if (request.hasNonNull("publishOnImport")) {
            source.set("publishOnImport", request.get("publishOnImport"));
        }
        if (request.hasNonNull("assetFormsInput")) {
            source.set("assetFormsOutput", AssetForms.output(request.get("assetFormsInput")));
        }
        if (request.hasNonNull("schedule")) {
            source.set("schedule", request.get("schedule"));
        }
        source.put("createdAt", iso(now));
        source.put("updatedAt", iso(now));
        try {
            store.create(Kind.DATA_SOURCE, domainId + "/" + id, write(source), now);
            ClientTokens.remember(store, "CreateDataSource", request, asked, id, now);
        } catch (RuntimeException e) {
            store.delete(Kind.DATA_SOURCE, domainId + "/" + id);
            services.sources.delete(id);
            throw e;
        }
        return project(source, "CreateDataSourceOutput");
    }
}
