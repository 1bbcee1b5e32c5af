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
 * @param status       ACTIVE, or how far its deletion has come (the name stays taken until it is gone)
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
        Set<String> retiredGenerations,
        Status status) {

    /** Deletion is a workflow: a deleted dataset's records go in steps, then the dataset itself. */
    public enum Status {
        ACTIVE,
        /** DeleteDataset was called; its records are still all there. */
        DELETE_PENDING,
        /** The deletion workflow is deleting its records. */
        DELETE_IN_PROGRESS;

        public boolean deleting() {
            return this != ACTIVE;
        }
    }

    public Dataset {
        keyFields = List.copyOf(keyFields);
        retiredGenerations = retiredGenerations == null ? Set.of() : Set.copyOf(retiredGenerations);
        status = status == null ? Status.ACTIVE : status;
    }

    /** An active dataset. */
    public Dataset(String name, String schema, List<String> keyFields, Instant createdAt, Instant updatedAt,
                   String generation, boolean fullImported, int activeJobs, Set<String> retiredGenerations) {
        this(name, schema, keyFields, createdAt, updatedAt, generation, fullImported, activeJobs, retiredGenerations,
                Status.ACTIVE);
    }

    /** An active dataset with no generation waiting to be deleted. */
    public Dataset(String name, String schema, List<String> keyFields, Instant createdAt, Instant updatedAt,
                   String generation, boolean fullImported, int activeJobs) {
        this(name, schema, keyFields, createdAt, updatedAt, generation, fullImported, activeJobs, Set.of());
    }

    /** Whether anything of it is still to be deleted: retired generations, or all of it. */
    public boolean hasRecordsToDelete() {
        return status.deleting() || !retiredGenerations.isEmpty();
    }

    public RecordSchema recordSchema() {
        return RecordSchema.parse(schema, keyFields);
    }
}
