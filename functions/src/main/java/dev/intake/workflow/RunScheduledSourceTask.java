package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.DataSourceService;
import dev.intake.core.ports.SourceSchedules;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A data source's schedule fired: input {@code {"dataSourceName": "...", "scheduledTime":
 * "2026-11-23T10:00:00Z"}} (EventBridge Scheduler fills in the time the invocation was due; the
 * local scheduler sends the same). Starts the source's scheduled import job, named after the source
 * and that time, so a retried invocation starts no second one; a disabled or deleted source starts
 * nothing. Answers with the job's name, or why no job was started.
 */
public final class RunScheduledSourceTask extends WorkflowTask {
    public RunScheduledSourceTask() {
        this(Services.fromEnvironment());
    }

    public RunScheduledSourceTask(Services services) {
        super(services);
    }

    /** The input a schedule sends for a run due at {@code scheduledTime}. */
    public static ObjectNode input(String sourceName, Instant scheduledTime) {
        return Json.MAPPER.createObjectNode().put(SourceSchedules.SOURCE_FIELD, sourceName)
                .put(SourceSchedules.TIME_FIELD, scheduledTime.toString());
    }

    /** The saved source, or null if it is gone (runScheduled then says so). */
    private dev.intake.core.DataSource findSource(String name) {
        try {
            return services.sources.describe(name);
        } catch (dev.intake.core.IntakeException e) {
            if (e.kind() == dev.intake.core.ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public JsonNode run(JsonNode input) {
        JsonNode name = input.get(SourceSchedules.SOURCE_FIELD);
        JsonNode time = input.get(SourceSchedules.TIME_FIELD);
        if (name == null || !name.isTextual() || time == null || !time.isTextual()) {
            throw new IllegalArgumentException("task input needs " + SourceSchedules.SOURCE_FIELD + " and "
                    + SourceSchedules.TIME_FIELD + " as strings, got " + input);
        }
        Instant scheduled;
        try {
            scheduled = OffsetDateTime.parse(time.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(SourceSchedules.TIME_FIELD + " '" + time.asText() + "' is not an ISO 8601 time");
        }
        ObjectNode result = Json.MAPPER.createObjectNode().put(SourceSchedules.SOURCE_FIELD, name.asText());
        // A DataZone data source's schedule starts a DataZone run (only what changed since its last run).
        var source = findSource(name.asText());
        if (source != null) {
            var dataZone = dev.intake.datazone.DataZoneSchedules.runScheduled(services, source, scheduled);
            if (dataZone.isPresent()) {
                if (dataZone.get().runId() != null) {
                    result.put("runId", dataZone.get().runId()).put("status", dataZone.get().status());
                } else {
                    result.put("skipped", dataZone.get().skipped());
                }
                return result;
            }
        }
        DataSourceService.ScheduledRun run = services.sources.runScheduled(name.asText(), scheduled);
        if (run.job() != null) {
            result.put("jobName", run.job().name());
        } else {
            result.put("skipped", run.skipped());
        }
        return result;
    }
}
