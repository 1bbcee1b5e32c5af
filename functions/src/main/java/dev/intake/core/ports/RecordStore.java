package dev.intake.core.ports;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a dataset's records live, by generation. */
public interface RecordStore {
    /** Largest number of writes one {@link #commit} takes (BatchGetItem reads 100 keys at a time). */
    int MAX_COMMIT = 100;

    /** The stored state of the given keys in a generation (strongly consistent); absent keys are left out. */
    Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys);

    /**
     * Applies the writes, each only if its key is still in the state it was decided on; a write and
     * its correction are applied together, atomically.
     *
     * @return false if any key changed meanwhile; then some writes may have been applied and the
     *         caller reads the keys again and decides anew (a write it finds applied is its own)
     * @throws dev.intake.core.JobNotRunningException if the job is no longer IN_PROGRESS: every
     *         transaction checks that, so a job that has ended never writes again
     */
    boolean commit(String dataset, String generation, String job, List<RecordWrite> writes);

    /** Whether a later row of {@code job} superseded the row of {@code key} at {@code seq}. */
    boolean superseded(String job, String key, long seq);

    /** A record's canonical JSON. */
    Optional<String> get(String dataset, String generation, String key);

    /** Deletes every record of a generation (a failed FULL import, or the one a FULL import replaced). */
    void deleteGeneration(String dataset, String generation);
}
