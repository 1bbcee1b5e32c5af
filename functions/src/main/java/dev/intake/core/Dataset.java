package dev.intake.core;

import dev.intake.core.schema.RecordSchema;
import java.time.Instant;
import java.util.List;

/**
 * A dataset: its schema and key, and which generation of records readers see.
 *
 * @param generation   the records generation readers see; a FULL import writes a new one and
 *                     switches to it atomically when it succeeds
 * @param fullImported whether a FULL import has ever succeeded (INCREMENTAL needs one first)
 * @param activeJobs   imports that are pending or running; a dataset with any cannot be deleted
 */
public record Dataset(
        String name,
        String schema,
        List<String> keyFields,
        Instant createdAt,
        Instant updatedAt,
        String generation,
        boolean fullImported,
        int activeJobs) {

    public Dataset {
        keyFields = List.copyOf(keyFields);
    }

    public RecordSchema recordSchema() {
        return RecordSchema.parse(schema, keyFields);
    }
}
