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
     * Deletes a dataset with no pending or running import and returns it as it was at that moment
     * (so its records, of whatever generation it then had, can be deleted after it).
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND, or IN_USE while imports are pending or running
     */
    Dataset delete(String name);

    /** The records of a retired generation are gone: forget it (nothing to do if the dataset is gone). */
    void generationDeleted(String name, String generation);
}
