package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.core.DataSource;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import java.util.LinkedHashMap;
import java.util.Map;

/** How Intake's API shows a data source, and reads the members its requests share. */
final class DataSourceViews {
    private DataSourceViews() {
    }

    static String sourceName(Arns arns, JsonNode request) {
        JsonNode arn = request.get("dataSourceArn");
        return arns.nameOf(Arns.DATA_SOURCE, arn == null || arn.isNull() ? null : arn.asText(), "Data source");
    }

    static ObjectNode summary(Arns arns, DataSource source) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", source.name());
        node.put("dataSourceArn", arns.of(Arns.DATA_SOURCE, source.name()));
        node.put("datasetArn", arns.of(Arns.DATASET, source.datasetName()));
        node.put("dataLocation", source.location().uri());
        node.put("enabled", source.enabled());
        if (source.schedule() != null) {
            node.put("scheduleExpression", source.schedule().expression().text());
        }
        node.put("creationDateTime", Json.epochSeconds(source.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(source.updatedAt()));
        return node;
    }

    static ObjectNode full(Arns arns, DataSource source) {
        ObjectNode node = summary(arns, source);
        node.remove("scheduleExpression");
        node.put("importMode", source.importMode().name());
        if (source.schedule() != null) {
            node.putObject("schedule").put("expression", source.schedule().expression().text())
                    .put("timeZone", source.schedule().timeZone().getId());
        }
        if (source.roleArn() != null) {
            node.put("roleArn", source.roleArn());
        }
        if (source.maxFailedRowsPercent() != null) {
            node.put("maxFailedRowsPercent", source.maxFailedRowsPercent());
        }
        var tags = node.putArray("tags");
        source.tags().forEach((k, v) -> tags.addObject().put("tagKey", k).put("tagValue", v));
        return node;
    }

    /** {@code schedule: {expression, timeZone}}; null when the request has none. */
    static SourceSchedule schedule(JsonNode request) {
        JsonNode schedule = request.get("schedule");
        if (schedule == null || schedule.isNull()) {
            return null;
        }
        JsonNode zone = schedule.get("timeZone");
        return SourceSchedule.of(schedule.get("expression").asText(), zone == null || zone.isNull() ? null : zone.asText());
    }

    static ImportMode importMode(JsonNode request) {
        JsonNode mode = request.get("importMode");
        return mode == null || mode.isNull() ? null : ImportMode.valueOf(mode.asText());
    }

    static Double maxFailedRowsPercent(JsonNode request) {
        return dev.intake.api.Json.optionalDouble(request, "maxFailedRowsPercent");
    }

    static Map<String, String> tags(JsonNode request) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : request.path("tags")) {
            if (tags.put(tag.get("tagKey").asText(), tag.get("tagValue").asText()) != null) {
                throw IntakeException.invalid("tags name the same tagKey twice"); // tag keys are sensitive: not echoed
            }
        }
        return tags;
    }

    static Boolean bool(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() ? null : value.asBoolean();
    }
}
