package dev.intake.core;

import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.schema.RecordSchema;
import java.util.Map;

/**
 * One chunk through the production ingest pipeline (read, validate, encode, hash, batch, write to
 * the given record store) outside any job, as a FULL import's first pass runs it. The bench uses it
 * with a record store that keeps nothing to measure the per-row cost alone.
 */
public final class StandaloneIngest {
    private StandaloneIngest() {
    }

    /** Ingests the chunk into generation {@code g1} of {@code dataset}; returns how its rows counted. */
    public static RecordCounts ingest(RecordStore records, ObjectStore objects, String dataset, RecordSchema schema,
                                      ChunkTask chunk) {
        ChunkIngester ingester = new ChunkIngester(records, 0);
        ChunkIngester.Target target = new ChunkIngester.Target(dataset, "standalone", "g1", "g0", true);
        return ingester.ingest(objects, target, schema, null, Map.of(), chunk, null, wroteAnything -> { }).counts();
    }
}
