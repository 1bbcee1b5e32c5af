package dev.intake.core.ports;

import dev.intake.core.Dataset;
import java.util.Optional;

/** Where datasets live. */
public interface DatasetStore {
    /** @throws dev.intake.core.IntakeException ALREADY_EXISTS if the name is taken */
    void create(Dataset dataset);

    Optional<Dataset> find(String name);

    /** Datasets by name, after {@code startAfter} (exclusive, null for the first page). */
    Page<Dataset> list(String startAfter, int limit);

    /**
     * Marks a dataset with no pending or running import DELETE_PENDING (a dataset already being
     * deleted stays as it is) and returns it. No import can be created for it from then on; its
     * records go in steps ({@link #deletionStarted}, then {@link #forget}).
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND, or IN_USE while imports are pending or running
     */
    Dataset markDeleting(String name);

    /** DELETE_PENDING becomes DELETE_IN_PROGRESS (nothing happens otherwise). */
    void deletionStarted(String name);

    /** Removes a dataset being deleted, whose records are all gone: its name is free again. */
    void forget(String name);

    /** The records of a retired generation are gone: forget it (nothing to do if the dataset is gone). */
    void generationDeleted(String name, String generation);
}
