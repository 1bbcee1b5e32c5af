package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;
import dev.intake.core.DataSourceService;
import dev.intake.core.ports.DataZoneStore.Kind;
import java.time.Instant;

/**
 * Changes a data source: what the saved source has (folder, dataset, role, schedule, enabled)
 * through DataSourceService (schedule first, then the source, conditional on its version), then
 * DataZone's view, conditional on its version (ConflictException if it changed meanwhile).
 */
public final class UpdateDataSourceHandler extends DataZoneOperation {
    public UpdateDataSourceHandler() {
        this(Services.fromEnvironment());
    }

    public UpdateDataSourceHandler(Services services) {
        super(services, "UpdateDataSource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String domainId = request.get("domainIdentifier").asText();
        String id = request.get("identifier").asText();
        var entry = dataSource(domainId, id);
        ObjectNode source = document(entry);
        DataSourceSettings settings = request.hasNonNull("configuration")
                ? DataSourceSettings.of(request.get("configuration")) : null;
        Boolean enabled = request.hasNonNull("enableSetting") ? request.get("enableSetting").asText().equals("ENABLED") : null;
        services.sources.update(id, new DataSourceService.Changes(settings == null ? null : settings.location(),
                settings == null ? null : settings.datasetName(), null,
                request.hasNonNull("schedule") ? DataSourceSettings.schedule(request.get("schedule")) : null, false, enabled,
                settings == null ? null : settings.roleArn(), settings != null && settings.roleArn() == null, null));
        Instant now = services.clock.instant();
        for (String member : new String[] {"name", "description", "publishOnImport", "recommendation", "schedule",
                "retainPermissionsOnRevokeFailure"}) {
            if (request.hasNonNull(member)) {
                source.set(member, request.get(member));
            }
        }
        if (settings != null) {
            source.set("configuration", DataSourceSettings.output(request.get("configuration"),
                    services.deployment.account(), services.deployment.region()));
        }
        if (enabled != null) {
            source.put("enableSetting", enabled ? "ENABLED" : "DISABLED");
        }
        if (request.hasNonNull("assetFormsInput")) {
            source.set("assetFormsOutput", AssetForms.output(request.get("assetFormsInput")));
        }
        source.put("updatedAt", iso(now));
        store.update(Kind.DATA_SOURCE, entry.name(), write(source), entry.version(), now);
        return project(source, "UpdateDataSourceOutput");
    }
}
