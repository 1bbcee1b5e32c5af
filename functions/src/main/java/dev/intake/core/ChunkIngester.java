package dev.intake.core;

import dev.intake.core.format.ByteRanges;
import dev.intake.core.format.ChunkRecords;
import dev.intake.core.format.CsvHeaderException;
import dev.intake.core.format.DataFormat;
import dev.intake.core.format.RawRow;
import dev.intake.core.format.RowReader;
import dev.intake.core.format.parquet.ParquetRowReader;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import dev.intake.core.schema.InvalidRowException;
import dev.intake.core.schema.RecordSchema;
import dev.intake.core.schema.RowValidator;
import dev.intake.core.schema.TimestampRule;
import dev.intake.core.schema.ValidRecord;
import dev.intake.core.stats.FieldStatisticsCollector;
import dev.intake.core.stats.FieldSummaries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads one chunk, validates its rows and writes them, counting each row's outcome.
 *
 * <p>Counting is deterministic whatever the order, repetition or concurrency of chunk runs. Every
 * stored record remembers the import that last wrote it, the row position ({@code seq}), its
 * content before that import ({@code base}) and the earlier rows of the same import it held
 * ({@code history}), all in the one record written per row. So a row is always compared with the
 * same base; a repeated key keeps the row with the highest seq; a row learns from the record
 * whether it was written; and the row whose write replaced an earlier row of the same import
 * counts that earlier row as skipped instead of what it had been counted as.
 *
 * <p>An unchanged row of an INCREMENTAL import is not written at all. Its key goes into the chunk's
 * key hashes ({@link KeyHashes}), from which the workflow finds the few keys that need a second look.
 */
final class ChunkIngester {
    private static final int MAX_CONFLICT_RETRIES = 20;
    /**
     * Rows are de-duplicated in memory over a window of this many keys (or {@link #WINDOW_BYTES})
     * before they are written, so a key repeated nearby costs one write and leaves no history.
     */
    static final int WINDOW_KEYS = 10_000;
    static final long WINDOW_BYTES = 8L * 1024 * 1024;
    /**
     * How many earlier rows of one import a record's history holds: a key repeated in more windows
     * of one import than this is a failed row (the record would outgrow what one write carries).
     */
    static final int MAX_HISTORY = 1_000;
    /**
     * A row's seq is its chunk's index in the high 32 bits and its place in the chunk in the low 32:
     * a chunk of more rows (only a gzip file, always one chunk, could have them) would give later
     * rows the seqs of the next chunk's, so it fails instead.
     */
    static final long MAX_ROWS_PER_CHUNK = 1L << 32;

    private final RecordStore records;
    private final int windowKeys;
    private final long windowBytes;
    private final int errorsKept;
    private final long maxRowsPerChunk;

    /** @param errorsKept how many of its invalid rows a chunk keeps (the first ones), for the error report */
    ChunkIngester(RecordStore records, int errorsKept) {
        this(records, WINDOW_KEYS, WINDOW_BYTES, errorsKept);
    }

    /** With another de-duplication window (tests use tiny ones). */
    ChunkIngester(RecordStore records, int windowKeys, long windowBytes, int errorsKept) {
        this(records, windowKeys, windowBytes, errorsKept, MAX_ROWS_PER_CHUNK);
    }

    /** With a lower bound on a chunk's rows (tests: no test reads 2^32 rows). */
    ChunkIngester(RecordStore records, int windowKeys, long windowBytes, int errorsKept, long maxRowsPerChunk) {
        this.records = records;
        this.windowKeys = windowKeys;
        this.windowBytes = windowBytes;
        this.errorsKept = errorsKept;
        this.maxRowsPerChunk = Math.min(maxRowsPerChunk, MAX_ROWS_PER_CHUNK);
    }

    /**
     * Where a job writes and what it compares with.
     *
     * @param full a FULL import writes every row into its own generation, comparing with the base one
     */
    record Target(String dataset, String job, String generation, String baseGeneration, boolean full) {
    }

    /** Refuses further writes of a job that is no longer running (see {@link JobNotRunningException}). */
    interface Guard {
        /**
         * Called before every write, and after the last one; throws when the job has ended.
         *
         * @param wroteAnything whether this run has written records (which may have raced the job's end)
         */
        void check(boolean wroteAnything);
    }

    /**
     * How one run of a chunk went.
     *
     * @param errors the chunk's first invalid rows, in line order (at most errorsKept)
     * @param keys   the chunk's key hashes (INCREMENTAL first pass only), else null
     * @param fieldStatistics the statistics of every field over the chunk's valid rows
     * @param lineBreaks the line breaks in the chunk's records (its errors' lines are numbered from
     *                   {@link ChunkTask#firstLine}; the chunks after it in its file start this many lines later)
     */
    record Run(RecordCounts counts, List<RowError> errors, KeyHashes.Collector keys, long unwritten,
               FieldSummaries fieldStatistics, long lineBreaks) {
    }

    /**
     * @param objects the store as the job's role sees it
     * @param forced  keys (by hash) to write even when unchanged: the second pass's contested keys;
     *                null in the first pass, which collects key hashes instead (INCREMENTAL only)
     */
    Run ingest(ObjectStore objects, Target target, RecordSchema schema, ChunkTask chunk, LongPredicate forced, Guard guard) {
        return ingest(objects, target, schema, null, chunk, forced, guard);
    }

    /** As above, reading the timestamp fields by the job's rule (null for none); a value it refuses fails its row. */
    Run ingest(ObjectStore objects, Target target, RecordSchema schema, TimestampRule timestamps, ChunkTask chunk,
               LongPredicate forced, Guard guard) {
        return ingest(objects, target, schema, timestamps, Map.of(), chunk, forced, guard);
    }

    /**
     * As above, every row also getting {@code given}: the fields its file's location gives (see
     * {@link FileRule}). A row that has one of them with another value fails, rather than be changed.
     */
    Run ingest(ObjectStore objects, Target target, RecordSchema schema, TimestampRule timestamps,
               Map<String, String> given, ChunkTask chunk, LongPredicate forced, Guard guard) {
        return ingest(objects, target, schema, timestamps, given.isEmpty() ? null : new FileRule.FileFields(given, null),
                chunk, forced, guard);
    }

    /**
     * As above, with what the file's location gives its rows and which columns its header may name
     * (null: no file rule). A CSV header that does not fit the schema and these fails the job
     * ({@link ImportFailedException}) before the chunk reads a row.
     */
    Run ingest(ObjectStore objects, Target target, RecordSchema schema, TimestampRule timestamps,
               FileRule.FileFields fields, ChunkTask chunk, LongPredicate forced, Guard guard) {
        Map<String, String> given = fields == null ? Map.of() : fields.values();
        Batch batch = new Batch(target, forced, guard, chunk,
                !target.full() && forced == null ? new KeyHashes.Collector() : null);
        RowWindow window = new RowWindow();
        long ordinal = 0;
        long rowsRead = 0;
        FieldStatisticsCollector fieldStatistics = new FieldStatisticsCollector(schema,
                timestamps == null ? Set.of() : timestamps.fields(), timestamps == null ? null : timestamps.pattern());
        RowValidator validator = schema.validator(timestamps);
        long lineBreaks;
        try (RowReader reader = chunk.format() == DataFormat.PARQUET ? parquet(objects, chunk, schema, given.keySet())
                : open(objects, chunk)) {
            if (chunk.format() == DataFormat.CSV) {
                checkHeader(chunk.file(), reader.header(), schema, fields); // before any row is written
            }
            for (RawRow row = reader.next(); row != null; row = reader.next()) {
                rowsRead++;
                if (ordinal >= maxRowsPerChunk) {
                    throw tooManyRows(chunk, maxRowsPerChunk);
                }
                long seq = ((long) chunk.index() << 32) | ordinal++;
                String problem = row.error();
                ValidRecord valid = null;
                if (problem == null) {
                    try {
                        valid = validator.validate(given.isEmpty() ? row.values() : withGiven(row.values(), given));
                        fieldStatistics.add(validator.values());
                    } catch (InvalidRowException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    batch.fail(row.line(), problem);
                    continue;
                }
                if (window.add(valid, seq, row.line())) {
                    batch.counts[SKIPPED]++; // the later row in the window wins, and takes the place of the last row
                }
                if (window.size() >= windowKeys || window.bytes() >= windowBytes) {
                    batch.writeWindow(window);
                    window.clear();
                }
            }
            // Parquet rows are numbered within their file already: nothing to shift
            lineBreaks = reader instanceof ChunkRecords records ? records.lineBreaks() : 0;
        } catch (CsvHeaderException e) {
            throw new ImportFailedException("Could not read " + chunk.file() + (chunk.gzip() ? " as gzip-compressed CSV" : " as CSV")
                    + ": " + e.getMessage());
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
        batch.writeWindow(window);
        if (batch.wroteAnything) {
            guard.check(true); // a write that raced the job's end is cleaned up (see ImportWorkflow)
        }
        RecordCounts counts = batch.counts();
        requireEveryRowCounted(counts, rowsRead, chunk);
        return new Run(counts, batch.errors, batch.keys, batch.unwritten, fieldStatistics.summaries(), lineBreaks);
    }

    private static Map<String, Object> withGiven(Map<String, Object> values, Map<String, String> given) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        given.forEach((field, value) -> {
            Object had = all.put(field, value);
            if (had != null && !value.equals(had)) {
                throw new InvalidRowException("field '" + field + "' is '" + had + "' but the file's location gives '"
                        + value + "'");
            }
        });
        return all;
    }

    /**
     * The chunk's records: a gzip file (always one chunk) decompressed as it streams; a range of an
     * uncompressed file aligned to record boundaries by the chunk itself (see {@link ChunkRecords}).
     */
    private static ChunkRecords open(ObjectStore objects, ChunkTask chunk) throws IOException {
        if (chunk.gzip()) {
            InputStream raw = objects.open(chunk.bucket(), chunk.key(), chunk.start(), chunk.end(), chunk.etag());
            try {
                return ChunkRecords.whole(chunk.format(), new GZIPInputStream(raw, 64 * 1024));
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }
        ByteRanges file = new ByteRanges() {
            @Override
            public long size() {
                return chunk.objectSize();
            }

            @Override
            public InputStream open(long from, long to) {
                return objects.open(chunk.bucket(), chunk.key(), from, to, chunk.etag());
            }
        };
        return ChunkRecords.range(chunk.format(), file, chunk.start(), chunk.end());
    }

    /**
     * A Parquet chunk reads its file by ranges: the footer, then the row groups whose midpoint is in
     * the chunk's range (see {@link ParquetRowReader}); rows are numbered within the file.
     */
    private static RowReader parquet(ObjectStore objects, ChunkTask chunk, RecordSchema schema, Set<String> given)
            throws IOException {
        return ParquetRowReader.open(objects, chunk.bucket(), chunk.key(), chunk.etag(), chunk.objectSize(), chunk.file(),
                chunk.start(), chunk.end(), schema, given);
    }

    private static ImportFailedException tooManyRows(ChunkTask chunk, long max) {
        return new ImportFailedException("File " + chunk.file() + " has more than " + String.format("%,d", max)
                + " rows in one chunk" + (chunk.gzip() ? " (a gzip-compressed file is read as one chunk: split it into"
                + " several files)" : "") + "; the import stopped rather than number its rows wrongly");
    }

    /**
     * Every row read has exactly one outcome (a correction moves a count, it adds none): otherwise
     * the job fails rather than report counts that do not add up.
     */
    static void requireEveryRowCounted(RecordCounts counts, long rowsRead, ChunkTask chunk) {
        if (counts.total() != rowsRead) {
            throw new ImportFailedException("Internal error: chunk " + chunk.index() + " of " + chunk.file() + " read "
                    + rowsRead + " rows but counted " + counts.total() + "; the import stopped rather than report wrong counts");
        }
    }

    /** A CSV header must name schema fields only, and none that the file's location gives. */
    static void checkHeader(String uri, List<String> header, RecordSchema schema, FileRule.FileFields fields) {
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

    private static final int ADDED = RecordOutcome.ADDED.ordinal();
    private static final int SKIPPED = RecordOutcome.SKIPPED.ordinal();
    private static final int FAILED = RecordOutcome.FAILED.ordinal();
    /** No correction: the row replaced no earlier row of this import. */
    private static final byte NONE = -1;
    private static final RecordOutcome[] OUTCOMES = RecordOutcome.values();

    /**
     * The running totals of one chunk run and the writing of its windows. Counts are plain numbers
     * by outcome, and a batch's rows and decisions live in arrays reused from batch to batch: a
     * counts value, a row and a decision object per row were a large share of a chunk's allocation.
     */
    private final class Batch {
        private final Target target;
        private final LongPredicate forced;
        private final Guard guard;
        private final ChunkTask chunk;
        private final KeyHashes.Collector keys;
        /** By {@link RecordOutcome} ordinal. */
        final long[] counts = new long[OUTCOMES.length];
        final List<RowError> errors = new ArrayList<>();
        long unwritten;
        boolean wroteAnything;
        // the rows being written (up to maxBatch), and what was decided for each
        private final ValidRecord[] pending;
        private final long[] pendingSeqs;
        private final long[] pendingLines;
        /** The outcome the row counts, by ordinal. */
        private final byte[] outcome;
        /** The outcome of an earlier row this row's write replaced (it counts as skipped instead), or NONE. */
        private final byte[] corrected;
        private final boolean[] leftUnwritten;
        /** Why the row fails (then it counts nothing else), or null. */
        private final String[] error;

        Batch(Target target, LongPredicate forced, Guard guard, ChunkTask chunk, KeyHashes.Collector keys) {
            this.target = target;
            this.forced = forced;
            this.guard = guard;
            this.chunk = chunk;
            this.keys = keys;
            int size = Math.max(1, Math.min(records.maxBatch(), windowKeys));
            pending = new ValidRecord[size];
            pendingSeqs = new long[size];
            pendingLines = new long[size];
            outcome = new byte[size];
            corrected = new byte[size];
            leftUnwritten = new boolean[size];
            error = new String[size];
        }

        RecordCounts counts() {
            return new RecordCounts(counts[ADDED], counts[RecordOutcome.UPDATED.ordinal()],
                    counts[RecordOutcome.UNCHANGED.ordinal()], counts[SKIPPED], counts[FAILED]);
        }

        void fail(long line, String problem) {
            counts[FAILED]++;
            if (errors.size() < errorsKept) {
                errors.add(new RowError(chunk.file(), line, problem));
            }
        }

        /** Writes the window's rows in its order, maxBatch() at a time. */
        void writeWindow(RowWindow window) {
            int max = Math.min(records.maxBatch(), pending.length);
            int n = 0;
            for (int slot = 0; slot < window.slots(); slot++) {
                ValidRecord record = window.record(slot);
                if (record == null) {
                    continue; // replaced by a later row of its key
                }
                pending[n] = record;
                pendingSeqs[n] = window.seq(slot);
                pendingLines[n] = window.line(slot);
                if (++n == max) {
                    write(n);
                    n = 0;
                }
            }
            if (n > 0) {
                write(n);
            }
            Arrays.fill(pending, null);
        }

        /**
         * Decides and writes the first {@code n} pending rows (of distinct keys); decides again for
         * the keys that changed meanwhile.
         */
        private void write(int n) {
            int remaining = n;
            for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
                List<String> keys = new ArrayList<>(remaining);
                for (int i = 0; i < remaining; i++) {
                    keys.add(pending[i].key());
                }
                Map<String, StoredRecord> current = records.read(target.dataset(), target.generation(), keys);
                Map<String, StoredRecord> base = target.full() ? readBase(keys, current) : current;
                List<RecordWrite> writes = new ArrayList<>(remaining);
                for (int i = 0; i < remaining; i++) {
                    String key = keys.get(i);
                    RecordWrite write = decide(i, current.get(key), base.get(key));
                    if (write != null) {
                        writes.add(write);
                    }
                }
                Set<String> changed = Set.of();
                if (!writes.isEmpty()) {
                    guard.check(wroteAnything);
                    changed = records.write(target.dataset(), target.generation(), target.job(), writes);
                    wroteAnything |= changed.size() < writes.size();
                }
                int again = 0;
                for (int i = 0; i < remaining; i++) {
                    String key = keys.get(i);
                    if (!changed.isEmpty() && changed.contains(key)) {
                        // decided again in the next attempt: moved down among the first `again` rows
                        pending[again] = pending[i];
                        pendingSeqs[again] = pendingSeqs[i];
                        pendingLines[again] = pendingLines[i];
                        again++;
                        continue;
                    }
                    if (error[i] != null) {
                        fail(pendingLines[i], error[i]);
                        continue;
                    }
                    counts[outcome[i]]++;
                    if (corrected[i] != NONE) {
                        counts[corrected[i]]--;
                        counts[SKIPPED]++;
                    }
                    if (leftUnwritten[i]) {
                        unwritten++;
                    }
                    if (this.keys != null) {
                        this.keys.add(key, leftUnwritten[i]);
                    }
                }
                if (again == 0) {
                    return;
                }
                remaining = again;
            }
            throw new TransientImportException("records kept changing while being written; will retry", null);
        }

        /** A FULL import compares a key it has not written yet with the generation readers see. */
        private Map<String, StoredRecord> readBase(List<String> keys, Map<String, StoredRecord> current) {
            List<String> first = new ArrayList<>(keys.size());
            for (String key : keys) {
                StoredRecord stored = current.get(key);
                if (stored == null || !stored.job().equals(target.job())) {
                    first.add(key);
                }
            }
            return first.isEmpty() ? Map.of() : records.read(target.dataset(), target.baseGeneration(), first);
        }

        /** Decides pending row {@code i}: what it counts goes into the decision arrays; returns its write, or null. */
        private RecordWrite decide(int i, StoredRecord stored, StoredRecord base) {
            ValidRecord r = pending[i];
            long seq = pendingSeqs[i];
            corrected[i] = NONE;
            leftUnwritten[i] = false;
            error[i] = null;
            if (stored != null && stored.job().equals(target.job())) {
                RecordOutcome own = RecordOutcome.compare(r.hash(), stored.base());
                if (stored.wrote(seq)) {
                    // Written by an earlier attempt (or run) of this chunk; it may have been replaced since,
                    // in which case the replacing row counts the correction.
                    var replaced = stored.replacedBy(seq);
                    outcome[i] = (byte) own.ordinal();
                    if (replaced != null) {
                        corrected[i] = (byte) replaced.getValue().ordinal();
                    }
                    return null;
                }
                if (stored.seq() > seq) {
                    outcome[i] = (byte) SKIPPED; // a later row won
                    return null;
                }
                if (stored.history().size() >= MAX_HISTORY) {
                    error[i] = "the record key occurs in more than " + MAX_HISTORY
                            + " places of this import that are far apart; de-duplicate the file";
                    return null;
                }
                RecordOutcome previous = RecordOutcome.compare(stored.hash(), stored.base());
                NavigableMap<Long, RecordOutcome> history = new TreeMap<>(stored.history());
                history.put(stored.seq(), previous);
                outcome[i] = (byte) own.ordinal();
                corrected[i] = (byte) previous.ordinal();
                return new RecordWrite(r.key(), r.canonical(), r.hash(), seq, stored.base(), stored, history);
            }
            String baseHash = target.full() ? (base == null ? "" : base.hash()) : (stored == null ? "" : stored.hash());
            RecordOutcome result = RecordOutcome.compare(r.hash(), baseHash);
            outcome[i] = (byte) result.ordinal();
            if (!target.full() && result == RecordOutcome.UNCHANGED
                    && (forced == null || !forced.test(KeyHashes.of(r.key())))) {
                leftUnwritten[i] = true;
                return null;
            }
            return new RecordWrite(r.key(), r.canonical(), r.hash(), seq, baseHash, stored, null);
        }
    }
}
