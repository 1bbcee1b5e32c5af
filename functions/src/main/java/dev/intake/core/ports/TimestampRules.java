package dev.intake.core.ports;

import dev.intake.core.Dataset;
import dev.intake.core.ImportJob;
import dev.intake.core.schema.TimestampRule;
import java.util.Optional;

/**
 * How an import job reads the timestamps in its rows, when its dialect gave it a rule (Forecast's
 * TimestampFormat and TimeZone, kept with the job's settings); the chunk workers ask for each chunk.
 */
public interface TimestampRules {
    /** No job has a rule: timestamps are strings like any other. */
    TimestampRules NONE = (job, dataset) -> Optional.empty();

    Optional<TimestampRule> forJob(ImportJob job, Dataset dataset);
}
