package dev.intake.datazone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import java.time.Instant;
import java.util.Optional;

/**
 * What a DataZone data source's schedule starts: a SCHEDULED run (only new or changed objects), not
 * the whole-folder import of an Intake source. The scheduled-run task asks here first.
 */
public final class DataZoneSchedules {
    private DataZoneSchedules() {
    }

    /** The outcome of a schedule's firing for a DataZone source: the run, or why none was started. */
    public record Outcome(String runId, String status, String skipped) {
    }

    /** Empty if the source is not DataZone's (Intake's own scheduled run applies). */
    public static Optional<Outcome> runScheduled(Services services, DataSource source, Instant scheduledTime) {
        if (!source.tags().containsKey(DataZoneRuns.DOMAIN_TAG)) {
            return Optional.empty();
        }
        if (!source.scheduled()) {
            return Optional.of(new Outcome(null, null, source.enabled() ? "the data source has no schedule"
                    : "the data source is disabled"));
        }
        try {
            return DataZoneRuns.runScheduled(services, source, scheduledTime)
                    .map(run -> new Outcome(run.get("id").asText(), run.get("status").asText(), null));
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.CONFLICT || e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.INVALID_INPUT
                    || e.kind() == ErrorKind.ACCESS_DENIED || e.kind() == ErrorKind.IN_USE) {
                return Optional.of(new Outcome(null, null, e.getMessage())); // retrying would not help
            }
            throw e;
        }
    }
}
