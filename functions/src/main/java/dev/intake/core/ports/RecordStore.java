package dev.intake.core.ports;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a dataset's records live, by generation. Every write is a single-record conditional write:
 * one write per row, no transactions.
 */
public interface RecordStore {
    /**
     * The largest number of keys one {@link #read} or {@link #write} takes: 100 in DynamoDB (what
     * BatchGetItem reads at once); the embedded store takes more per transaction.
     */
    int maxBatch();

    /**
     * How many requests the storage has refused for lack of capacity so far (in this process), each
     * retried with backoff rather than a row lost; 0 where nothing throttles. Only differences mean
     * something: a chunk reports what it adds (see {@link ImportMetrics#storageThrottled}).
     */
    default long throttledRequests() {
        return 0;
    }

    /** Refuses a read or write of more keys than {@link #maxBatch()}: the caller slices its batches. */
    default void requireBatchOf(int keys) {
        if (keys > maxBatch()) {
            throw new IllegalArgumentException("at most " + maxBatch() + " keys per read or write, not " + keys);
        }
    }

    /** The stored state of the given keys in a generation (strongly consistent); absent keys are left out. */
    Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys);

    /**
     * Applies each write only if its key is still in the state it was decided on
     * ({@link RecordWrite#expected()}: the same job and seq, or still absent). Writes are
     * independent of each other: some may apply while others do not. Each written record remembers
     * {@code job} as the import that wrote it.
     *
     * @return the keys that had changed meanwhile (nothing was written for them): the caller reads
     *         them again and decides anew
     */
    Set<String> write(String dataset, String generation, String job, List<RecordWrite> writes);

    /** A record's canonical JSON. */
    Optional<String> get(String dataset, String generation, String key);

    /**
     * Deletes up to {@code max} records of a generation: a bounded step of deleting a generation (a
     * failed FULL import's, the one a FULL import replaced, or a deleted dataset's), so that a
     * workflow can delete any number of records in steps that each fit in one invocation.
     *
     * @return true when the generation has no record left
     */
    boolean deleteSome(String dataset, String generation, int max);

    /** Deletes every record of a generation, in steps (for generations known to be small or nearly gone). */
    default void deleteGeneration(String dataset, String generation) {
        while (!deleteSome(dataset, generation, 10_000)) {
            // the next step
        }
    }

    /**
     * Up to {@code max} records of a generation, after {@code cursor} (null for the first page): a
     * bounded step of reading a whole generation (an export). Every record present for the whole
     * listing is returned exactly once over the pages; the order is the store's own.
     *
     * @return the records, and the cursor of the next page ({@link Page#lastKey()}, an opaque
     *         string; null when the generation has no more)
     */
    Page<RecordEntry> list(String dataset, String generation, String cursor, int max);
}
