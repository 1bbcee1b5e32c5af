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
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** Lists an import's files, checks them against the schema and cuts them into chunks. */
final class ImportPlanner {
    private final long targetChunkBytes;

    ImportPlanner(long targetChunkBytes) {
        this.targetChunkBytes = targetChunkBytes;
    }

    record Plan(List<ChunkTask> chunks, ImportStatistics files) {
    }

    /** @param objects the store as the job's role sees it */
    Plan plan(ObjectStore objects, DataLocation location, RecordSchema schema) {
        List<StoredObject> found = location.isFolder()
                ? objects.list(location.bucket(), location.key())
                : objects.head(location.bucket(), location.key()).map(List::of).orElse(List.of());
        found = found.stream().filter(o -> !o.key().endsWith("/")).toList();
        if (found.isEmpty()) {
            throw new ImportFailedException("No file found at " + location.uri()
                    + (location.isFolder() ? " (the folder is empty or does not exist)" : " (the object does not exist)"));
        }
        List<ChunkTask> chunks = new ArrayList<>();
        long ingested = 0;
        long discarded = 0;
        long bytes = 0;
        for (StoredObject file : found) {
            Optional<DataFormat> format = DataFormat.forKey(file.key());
            if (format.isEmpty()) {
                discarded++;
                continue;
            }
            ingested++;
            bytes += file.size();
            planFile(objects, file, format.get(), schema, chunks);
        }
        if (ingested == 0) {
            throw new ImportFailedException("No file at " + location.uri() + " has a supported format: "
                    + discarded + " file(s) skipped; use .csv or .jsonl (.json, .ndjson), optionally gzip-compressed (.gz)");
        }
        return new Plan(chunks, ImportStatistics.EMPTY.withFiles(found.size(), ingested, discarded, bytes));
    }

    private void planFile(ObjectStore objects, StoredObject file, DataFormat format, RecordSchema schema,
                          List<ChunkTask> chunks) {
        String uri = DataLocation.uri(file.bucket(), file.key());
        if (file.size() == 0) {
            return; // nothing to read; an import with no rows at all fails when it is finalized
        }
        boolean gzip = DataFormat.isGzip(file.key());
        if (gzip || file.size() <= targetChunkBytes) {
            if (format == DataFormat.CSV) {
                checkHeader(uri, readHeader(objects, file, gzip), schema);
            }
            chunks.add(new ChunkTask(chunks.size(), file.bucket(), file.key(), format, gzip, 0, file.size(), 1, null));
            return;
        }
        ChunkSplitter.Split split;
        try (InputStream in = objects.open(file.bucket(), file.key(), 0, file.size())) {
            split = ChunkSplitter.split(format, in, targetChunkBytes);
        } catch (IOException e) {
            throw new ImportFailedException("Could not read " + uri + ": " + e.getMessage());
        }
        List<String> header = null;
        if (format == DataFormat.CSV) {
            header = split.csvHeader();
            checkHeader(uri, header, schema);
        }
        for (var c : split.chunks()) {
            chunks.add(new ChunkTask(chunks.size(), file.bucket(), file.key(), format, false, c.start(), c.end(),
                    c.firstLine(), header));
        }
    }

    private static List<String> readHeader(ObjectStore objects, StoredObject file, boolean gzip) {
        try (InputStream raw = objects.open(file.bucket(), file.key(), 0, file.size());
             InputStream in = gzip ? new GZIPInputStream(raw, 64 * 1024) : raw;
             RowReader reader = RowReaders.open(DataFormat.CSV, in, 1, null)) {
            return reader.header();
        } catch (IOException | UncheckedIOException e) {
            throw new ImportFailedException("Could not read " + DataLocation.uri(file.bucket(), file.key())
                    + (gzip ? " as gzip-compressed CSV" : " as CSV") + ": " + e.getMessage());
        }
    }

    private static void checkHeader(String uri, List<String> header, RecordSchema schema) {
        if (header == null || header.isEmpty()) {
            throw new ImportFailedException("File " + uri + " has no CSV header row");
        }
        String problem = schema.headerProblem(header);
        if (problem != null) {
            throw new ImportFailedException("The header of " + uri + " does not match the dataset schema: " + problem);
        }
    }
}
