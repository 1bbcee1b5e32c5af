package dev.intake.core;

import dev.intake.core.format.DataFormat;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.schema.RecordSchema;
import java.util.ArrayList;
import java.util.List;

/** Lists an import's files and cuts them into chunks, from the listing alone (it reads no file). */
final class ImportPlanner {
    /**
     * The chunk list goes to the state machine as a manifest in S3 ({@link ChunkManifest}), which a
     * Distributed Map reads, so it has no size limit of its own. What bounds it is the Map's result:
     * without a ResultWriter Step Functions returns the array of its child executions' outputs, and
     * that array must fit the 256 KiB payload limit. Each child outputs {} (3 bytes with its comma),
     * so 80,000 chunks make 240,001 bytes. A file is at least one chunk, so this also bounds the files.
     */
    static final int MAX_CHUNKS = 80_000;

    private final long targetChunkBytes;
    private final int maxChunks;

    ImportPlanner(long targetChunkBytes) {
        this(targetChunkBytes, MAX_CHUNKS);
    }

    /** @param maxChunks at most this many chunks (tests use a small bound; the engine {@link #MAX_CHUNKS}) */
    ImportPlanner(long targetChunkBytes, int maxChunks) {
        this.targetChunkBytes = targetChunkBytes;
        this.maxChunks = maxChunks;
    }

    /** @param discarded the files seen but not read (s3:// URIs, in listing order); not kept with a stored plan */
    record Plan(List<ChunkTask> chunks, ImportStatistics files, List<String> discarded) {
        Plan(List<ChunkTask> chunks, ImportStatistics files) {
            this(chunks, files, List.of());
        }
    }

    /** @param objects the store as the job's role sees it */
    Plan plan(ObjectStore objects, DataLocation location, RecordSchema schema) {
        return plan(objects, location, schema, null);
    }

    /** @param rule which files the job reads and what their keys give their rows; null: every file of a known format */
    Plan plan(ObjectStore objects, DataLocation location, RecordSchema schema, FileRule rule) {
        List<StoredObject> found = location.isFolder()
                ? objects.list(location.bucket(), location.key())
                : objects.head(location.bucket(), location.key()).map(List::of).orElse(List.of());
        found = found.stream().filter(o -> !o.key().endsWith("/")).toList();
        if (found.isEmpty()) {
            throw new ImportFailedException("No file found at " + location.uri()
                    + (location.isFolder() ? " (the folder is empty or does not exist)" : " (the object does not exist)"));
        }
        return planFiles(objects, location, found, 0, schema, rule);
    }

    /**
     * Plans an arrival batch: exactly the object versions that arrived. A version replaced or
     * deleted since it arrived is not read (its replacement arrives on its own and is imported by
     * its own batch) and counts as discarded.
     */
    Plan planArrivals(ObjectStore objects, DataLocation location, List<ObjectArrival> arrivals, RecordSchema schema) {
        return planArrivals(objects, location, arrivals, schema, null);
    }

    Plan planArrivals(ObjectStore objects, DataLocation location, List<ObjectArrival> arrivals, RecordSchema schema,
                      FileRule rule) {
        List<StoredObject> found = new ArrayList<>();
        long gone = 0;
        for (ObjectArrival arrival : arrivals) {
            if (!arrival.bucket().equals(location.bucket()) || !arrival.key().startsWith(location.key())) {
                throw new ImportFailedException(arrival.uri() + " is not under the job's location " + location.uri());
            }
            var now = objects.head(arrival.bucket(), arrival.key());
            if (now.isPresent() && (arrival.etag() == null || sameEtag(now.get().etag(), arrival.etag()))) {
                found.add(now.get());
            } else {
                gone++;
            }
        }
        if (found.isEmpty()) {
            throw new ImportFailedException("Every object of this arrival batch (" + arrivals.size() + ") was replaced or "
                    + "deleted after it arrived; replacements are imported by the batch they arrived in");
        }
        return planFiles(objects, location, found, gone, schema, rule);
    }

    private static boolean sameEtag(String listed, String arrived) {
        return listed != null && ObjectArrival.unquotedEtag(listed).equals(ObjectArrival.unquotedEtag(arrived));
    }

    /** @param alreadyDiscarded files seen but not to be read, before these */
    private Plan planFiles(ObjectStore objects, DataLocation location, List<StoredObject> found, long alreadyDiscarded,
                           RecordSchema schema, FileRule rule) {
        // One pass (a listing may hold tens of thousands of objects): each file is read or discarded.
        List<StoredObject> readable = new ArrayList<>();
        List<String> discardedFiles = new ArrayList<>();
        for (StoredObject o : found) {
            if (DataFormat.forKey(o.key()).isPresent() && (rule == null || rule.fieldsFor(o.bucket(), o.key()).isPresent())) {
                readable.add(o);
            } else {
                discardedFiles.add(DataLocation.uri(o.bucket(), o.key()));
            }
        }
        long discarded = discardedFiles.size();
        if (readable.isEmpty() && rule != null) {
            throw new ImportFailedException("No file at " + location.uri() + " is one this job reads: " + discarded
                    + " file(s) skipped (" + rule + ")");
        }
        if (readable.isEmpty()) {
            throw new ImportFailedException("No file at " + location.uri() + " has a supported format: "
                    + discarded + " file(s) skipped; use .csv or .jsonl (.json, .ndjson), optionally gzip-compressed (.gz), or .parquet");
        }
        if (readable.size() > maxChunks) {
            throw new ImportFailedException(location.uri() + " holds " + readable.size() + " data files; one import reads at "
                    + "most " + String.format(java.util.Locale.ROOT, "%,d", maxChunks)
                    + " files: import the folder in parts (sub-folders), or combine files");
        }
        long bytes = readable.stream().mapToLong(StoredObject::size).sum();
        // Larger chunks rather than more of them than the Distributed Map's result can carry.
        long chunkBytes = Math.max(targetChunkBytes, -Math.floorDiv(-bytes, maxChunks - readable.size() + 1));
        List<ChunkTask> chunks = new ArrayList<>();
        for (StoredObject file : readable) {
            planFile(file, DataFormat.forKey(file.key()).orElseThrow(), chunkBytes, chunks);
        }
        return new Plan(chunks, ImportStatistics.EMPTY.withFiles(found.size() + alreadyDiscarded, readable.size(),
                discarded + alreadyDiscarded, bytes), discardedFiles);
    }

    /**
     * Cuts a file into byte ranges of about the target size from its listed size alone: no byte of
     * it is read here. Each chunk finds the record boundaries of its own range (and checks a CSV
     * file's header) when it runs; a gzip-compressed file is one chunk, read as it streams.
     */
    private static void planFile(StoredObject file, DataFormat format, long targetChunkBytes, List<ChunkTask> chunks) {
        if (file.size() == 0) {
            return; // nothing to read; an import with no rows at all fails when it is finalized
        }
        if (format == DataFormat.PARQUET) {
            // Byte ranges, cut without reading: each chunk's worker reads the footer and the row
            // groups whose midpoint lies in its range, so every row group is read exactly once.
            for (long start = 0; start < file.size(); start += targetChunkBytes) {
                chunks.add(new ChunkTask(chunks.size(), file.bucket(), file.key(), format, false, start,
                        Math.min(file.size(), start + targetChunkBytes), 1, file.etag(), file.size()));
            }
            return;
        }
        boolean gzip = DataFormat.isGzip(file.key());
        // Equal ranges of at least the target size (the rest is shared out rather than left as a small last one).
        long count = gzip ? 1 : Math.max(1, file.size() / targetChunkBytes);
        for (long k = 0; k < count; k++) {
            long start = Math.multiplyExact(k, file.size()) / count;
            long end = Math.multiplyExact(k + 1, file.size()) / count;
            // Rows are numbered from 1 at the start of the file; a later chunk, not knowing how many lines
            // come before it, numbers its first line 2 (see ChunkRecords) and Finish renumbers its errors.
            chunks.add(new ChunkTask(chunks.size(), file.bucket(), file.key(), format, gzip, start, end, start == 0 ? 1 : 2,
                    file.etag(), file.size()));
        }
    }
}
