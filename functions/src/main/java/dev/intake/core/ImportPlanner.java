package dev.intake.core;

import dev.intake.core.format.ChunkSplitter;
import dev.intake.core.format.DataFormat;
import dev.intake.core.format.RowReader;
import dev.intake.core.format.RowReaders;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.schema.RecordSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Lists an import's files, checks them against the schema and cuts them into chunks. */
final class ImportPlanner {
    /**
     * The chunk list travels inline through the state machine, whose payloads hold 256 KB; this many
     * chunk descriptions stay well inside that. (A Distributed Map over an S3 manifest lifts it later.)
     */
    static final int MAX_CHUNKS = 500;

    private final long targetChunkBytes;

    ImportPlanner(long targetChunkBytes) {
        this.targetChunkBytes = targetChunkBytes;
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
        List<StoredObject> readable = found.stream().filter(o -> DataFormat.forKey(o.key()).isPresent()
                && (rule == null || rule.fieldsFor(o.bucket(), o.key()).isPresent())).toList();
        long discarded = found.size() - readable.size();
        List<String> discardedFiles = found.stream().filter(o -> !readable.contains(o))
                .map(o -> DataLocation.uri(o.bucket(), o.key())).toList();
        if (readable.isEmpty() && rule != null) {
            throw new ImportFailedException("No file at " + location.uri() + " is one this job reads: " + discarded
                    + " file(s) skipped (" + rule + ")");
        }
        if (readable.isEmpty()) {
            throw new ImportFailedException("No file at " + location.uri() + " has a supported format: "
                    + discarded + " file(s) skipped; use .csv or .jsonl (.json, .ndjson), optionally gzip-compressed (.gz), or .parquet");
        }
        if (readable.size() > MAX_CHUNKS) {
            throw new ImportFailedException(location.uri() + " holds " + readable.size() + " data files; one import reads at "
                    + "most " + MAX_CHUNKS + " files: import the folder in parts (sub-folders), or combine files");
        }
        long bytes = readable.stream().mapToLong(StoredObject::size).sum();
        // Larger chunks rather than more of them than the state machine can carry.
        long chunkBytes = Math.max(targetChunkBytes, -Math.floorDiv(-bytes, MAX_CHUNKS - readable.size() + 1));
        List<ChunkTask> chunks = new ArrayList<>();
        for (StoredObject file : readable) {
            FileRule.FileFields fields = rule == null ? null : rule.fieldsFor(file.bucket(), file.key()).orElseThrow();
            planFile(objects, file, DataFormat.forKey(file.key()).orElseThrow(), schema, fields, chunkBytes, chunks);
        }
        return new Plan(chunks, ImportStatistics.EMPTY.withFiles(found.size() + alreadyDiscarded, readable.size(),
                discarded + alreadyDiscarded, bytes), discardedFiles);
    }

    private static void planFile(ObjectStore objects, StoredObject file, DataFormat format, RecordSchema schema,
                                 FileRule.FileFields fields, long targetChunkBytes, List<ChunkTask> chunks) {
        String uri = DataLocation.uri(file.bucket(), file.key());
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
        if (gzip || file.size() <= targetChunkBytes) {
            if (format == DataFormat.CSV) {
                checkHeader(uri, readHeader(objects, file, gzip), schema, fields);
            }
            chunks.add(new ChunkTask(chunks.size(), file.bucket(), file.key(), format, gzip, 0, file.size(), 1, file.etag(),
                    file.size()));
            return;
        }
        ChunkSplitter.Split split;
        try (InputStream in = objects.open(file.bucket(), file.key(), 0, file.size(), file.etag())) {
            split = ChunkSplitter.split(format, in, targetChunkBytes);
        } catch (IOException e) {
            throw new ImportFailedException("Could not read " + uri + ": " + e.getMessage());
        }
        if (format == DataFormat.CSV) {
            checkHeader(uri, split.csvHeader(), schema, fields);
        }
        for (var c : split.chunks()) {
            chunks.add(new ChunkTask(chunks.size(), file.bucket(), file.key(), format, false, c.start(), c.end(),
                    c.firstLine(), file.etag(), file.size()));
        }
    }

    private static List<String> readHeader(ObjectStore objects, StoredObject file, boolean gzip) {
        try (InputStream raw = objects.open(file.bucket(), file.key(), 0, file.size(), file.etag());
             InputStream in = gzip ? new GZIPInputStream(raw, 64 * 1024) : raw;
             RowReader reader = RowReaders.open(DataFormat.CSV, in, 1, null)) {
            return reader.header();
        } catch (IOException | UncheckedIOException e) {
            throw new ImportFailedException("Could not read " + DataLocation.uri(file.bucket(), file.key())
                    + (gzip ? " as gzip-compressed CSV" : " as CSV") + ": " + e.getMessage());
        }
    }

    private static void checkHeader(String uri, List<String> header, RecordSchema schema, FileRule.FileFields fields) {
        if (header == null || header.isEmpty()) {
            throw new ImportFailedException("File " + uri + " has no CSV header row");
        }
        if (fields != null) {
            for (String column : header) {
                if (fields.values().containsKey(column)) {
                    throw new ImportFailedException("The header of " + uri + " names column '" + column
                            + "', which the file's location gives (" + column + " = " + fields.values().get(column) + ")");
                }
                if (fields.columns() != null && !fields.columns().contains(column)) {
                    throw new ImportFailedException("The header of " + uri + " names column '" + column
                            + "', which is not one of this file's columns (" + String.join(", ", fields.columns().stream()
                            .sorted().toList()) + ")");
                }
            }
            List<String> withGiven = new ArrayList<>(header);
            withGiven.addAll(fields.values().keySet());
            header = withGiven;
        }
        String problem = schema.headerProblem(header);
        if (problem != null) {
            throw new ImportFailedException("The header of " + uri + " does not match the dataset schema: " + problem);
        }
    }
}
