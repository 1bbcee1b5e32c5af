package dev.intake.core;

import dev.intake.core.schema.RecordSchema;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A dataset: its schema and key, and which generation of records readers see.
 *
 * @param generation   the records generation readers see; a FULL import writes a new one and
 *                     switches to it atomically when it succeeds
 * @param fullImported whether a FULL import has ever succeeded (INCREMENTAL needs one first)
 * @param activeJobs   imports that are pending or running; a dataset with any cannot be deleted
 * @param retiredGenerations generations no reader uses any more whose records are still to be
 *                     deleted (recorded in the same write that retires them, so none is forgotten)
 */
public record Dataset(
        String name,
        String schema,
        List<String> keyFields,
        Instant createdAt,
        Instant updatedAt,
        String generation,
        boolean fullImported,
        int activeJobs,
        Set<String> retiredGenerations) {

    public Dataset {
        keyFields = List.copyOf(keyFields);
        retiredGenerations = retiredGenerations == null ? Set.of() : Set.copyOf(retiredGenerations);
    }

    /** A dataset with no generation waiting to be deleted. */
    public Dataset(String name, String schema, List<String> keyFields, Instant createdAt, Instant updatedAt,
                   String generation, boolean fullImported, int activeJobs) {
        this(name, schema, keyFields, createdAt, updatedAt, generation, fullImported, activeJobs, Set.of());
    }

    public RecordSchema recordSchema() {
        return RecordSchema.parse(schema, keyFields);
    }
}
