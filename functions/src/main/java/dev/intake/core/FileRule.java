package dev.intake.core;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which files of a job's location a dialect's job reads, and what each file's location says about
 * its rows: Lookout for Equipment names a file's component by its key (KeyPattern), so every row of
 * {@code .../Pump/2024.csv} belongs to component Pump although no column says so.
 */
public interface FileRule {
    /**
     * What a file contributes to its rows, or empty when the job does not read it (it counts as a
     * discarded file, as one of no known format does).
     */
    Optional<FileFields> fieldsFor(String bucket, String key);

    /**
     * @param values  fields every row of the file gets (its header must not name them)
     * @param columns the columns the file's header may name, or null for any field of the schema
     */
    record FileFields(Map<String, String> values, Set<String> columns) {
        public FileFields {
            values = Map.copyOf(values);
            columns = columns == null ? null : Set.copyOf(columns);
        }
    }
}
