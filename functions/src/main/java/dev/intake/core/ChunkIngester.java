package dev.intake.core;

import dev.intake.core.format.DataFormat;
import dev.intake.core.format.RawRow;
import dev.intake.core.format.RowReader;
import dev.intake.core.format.RowReaders;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import dev.intake.core.schema.InvalidRowException;
import dev.intake.core.schema.RecordSchema;
import dev.intake.core.schema.ValidRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads one chunk, validates its rows and writes them, counting each row's outcome.
 *
 * <p>Counting is deterministic whatever the order or repetition of chunk runs: every stored record
 * remembers the import that last wrote it, the row position ({@code seq}) and its content before
 * that import ({@code base}). A row is always compared with that base; a repeated key keeps the
 * row with the highest seq, and when a later row replaces an earlier one of the same import, the
 * earlier row's outcome is turned into "skipped" by a correction written atomically with it.
 */
final class ChunkIngester {
    private static final int MAX_CONFLICT_RETRIES = 20;
    /** A DynamoDB transaction carries at most 4 MB; stay well under it. */
    private static final long MAX_BATCH_BYTES = 2L * 1024 * 1024;
    /** The longest CSV header line the reader accepts (1 MiB of characters), in UTF-8 bytes at most. */
    private static final long MAX_HEADER_BYTES = 4L * 1024 * 1024 + 2;

    private final RecordStore records;

    ChunkIngester(RecordStore records) {
        this.records = records;
    }

    /** Where a job writes and what it compares with. */
    record Target(String dataset, String job, String generation, String baseGeneration) {
        boolean full() {
            return !generation.equals(baseGeneration);
        }
    }

    private record Row(ValidRecord record, long seq) {
    }

    /** @param objects the store as the job's role sees it */
    ChunkResult ingest(ObjectStore objects, Target target, RecordSchema schema, ChunkTask chunk) {
        RecordCounts counts = RecordCounts.ZERO;
        List<RowError> errors = new ArrayList<>();
        Map<String, Row> pending = new LinkedHashMap<>();
        long pendingBytes = 0;
        long ordinal = 0;
        try (InputStream raw = objects.open(chunk.bucket(), chunk.key(), chunk.start(), chunk.end(), chunk.etag());
             InputStream in = chunk.gzip() ? new GZIPInputStream(raw, 64 * 1024) : raw;
             RowReader reader = RowReaders.open(chunk.format(), in, chunk.firstLine(), csvHeader(objects, chunk))) {
            for (RawRow row = reader.next(); row != null; row = reader.next()) {
                long seq = ((long) chunk.index() << 32) | ordinal++;
                String problem = row.error();
                ValidRecord valid = null;
                if (problem == null) {
                    try {
                        valid = schema.validate(row.values());
                    } catch (InvalidRowException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    counts = counts.plus(RecordOutcome.FAILED, 1);
                    if (errors.size() < ChunkResult.MAX_ERRORS) {
                        errors.add(new RowError(chunk.file(), row.line(), problem));
                    }
                    continue;
                }
                Row replaced = pending.remove(valid.key());
                if (replaced != null) {
                    counts = counts.plus(RecordOutcome.SKIPPED, 1); // the later row in this chunk wins
                    pendingBytes -= replaced.record().bytes() + replaced.record().key().length() * 3L;
                }
                pending.put(valid.key(), new Row(valid, seq));
                pendingBytes += valid.bytes() + valid.key().length() * 3L; // the key is stored twice: sk and data
                if (pending.size() == RecordStore.MAX_COMMIT || pendingBytes >= MAX_BATCH_BYTES) {
                    counts = counts.plus(flush(target, pending));
                    pending.clear();
                    pendingBytes = 0;
                }
            }
        } catch (ObjectStoreException e) {
            if (e.isTransient()) {
                throw new TransientImportException(e.getMessage(), e);
            }
            throw new ImportFailedException(e.getMessage());
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // The bytes are not what the file name says (not gzip, or cut short): retrying won't help.
            throw new ImportFailedException("Could not read " + chunk.file() + (chunk.gzip() ? " (gzip)" : "")
                    + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            // A dropped or reset connection while streaming: worth another attempt.
            throw new TransientImportException("Reading " + chunk.file() + " was interrupted: " + e.getMessage(), e);
        }
        if (!pending.isEmpty()) {
            counts = counts.plus(flush(target, pending));
        }
        return new ChunkResult(chunk.index(), counts, errors);
    }

    /**
     * The header a CSV chunk that starts after the file's first record reads by; null when the chunk
     * starts at the beginning and reads it itself. Read here rather than carried in the chunk, so the
     * state machine's payload does not grow with the number of columns.
     */
    private static List<String> csvHeader(ObjectStore objects, ChunkTask chunk) throws IOException {
        if (chunk.format() != DataFormat.CSV || chunk.start() == 0) {
            return null;
        }
        // Only as much as a header can be (the reader refuses longer records): an HTTP client may
        // drain the rest of a ranged body on close, so the range itself is bounded.
        try (InputStream head = objects.open(chunk.bucket(), chunk.key(), 0, Math.min(chunk.start(), MAX_HEADER_BYTES),
                chunk.etag());
             RowReader reader = RowReaders.open(DataFormat.CSV, head, 1, null)) {
            return reader.header();
        }
    }

    /** Writes a batch of distinct keys; re-decides the whole batch if any key changed meanwhile. */
    private RecordCounts flush(Target target, Map<String, Row> batch) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Map<String, StoredRecord> current = records.read(target.dataset(), target.generation(), batch.keySet());
            Map<String, StoredRecord> base = target.full()
                    ? records.read(target.dataset(), target.baseGeneration(), batch.keySet()) : current;
            RecordCounts counts = RecordCounts.ZERO;
            List<RecordWrite> writes = new ArrayList<>();
            for (Row row : batch.values()) {
                ValidRecord r = row.record();
                StoredRecord stored = current.get(r.key());
                if (stored != null && stored.job().equals(target.job())) {
                    if (stored.seq() == row.seq()) {
                        // Written by an earlier attempt of this chunk.
                        counts = counts.plus(RecordOutcome.compare(r.hash(), stored.base()), 1);
                    } else if (stored.seq() > row.seq()) {
                        // A later row of this import holds the key. If it replaced this very row (an
                        // earlier attempt wrote it), its correction already turned this row into skipped.
                        boolean wasWritten = records.superseded(target.job(), r.key(), row.seq());
                        counts = counts.plus(wasWritten ? RecordOutcome.compare(r.hash(), stored.base())
                                : RecordOutcome.SKIPPED, 1);
                    } else {
                        writes.add(new RecordWrite(r.key(), r.canonical(), r.hash(), row.seq(), stored.base(), stored,
                                RecordOutcome.compare(stored.hash(), stored.base())));
                        counts = counts.plus(RecordOutcome.compare(r.hash(), stored.base()), 1);
                    }
                    continue;
                }
                StoredRecord before = base.get(r.key());
                String baseHash = before == null ? "" : before.hash();
                writes.add(new RecordWrite(r.key(), r.canonical(), r.hash(), row.seq(), baseHash, stored, null));
                counts = counts.plus(RecordOutcome.compare(r.hash(), baseHash), 1);
            }
            if (writes.isEmpty() || records.commit(target.dataset(), target.generation(), target.job(), writes)) {
                return counts;
            }
        }
        throw new TransientImportException("records kept changing while being written; will retry", null);
    }
}
