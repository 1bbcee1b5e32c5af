package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Opens the {@link RowReader} for a format. */
public final class RowReaders {
    /** Longest JSON Lines record kept in memory; longer ones are reported as malformed and skipped. */
    static final int MAX_RECORD_CHARS = 1 << 20;
    static final String RECORD_TOO_LONG = "record exceeds " + MAX_RECORD_CHARS + " characters";
    /** Longest CSV record, in bytes; longer ones fail (see {@link CsvScanner}). */
    static final int MAX_CSV_RECORD_BYTES = CsvScanner.DEFAULT_MAX_RECORD_BYTES;

    /**
     * How far past a CSV chunk's end its reader may need to read: a quoted field that fails is
     * judged on the bytes after its opening quote (up to the record limit), wherever the chunk ends.
     */
    public static final long CSV_BYTES_PAST_CHUNK_END = MAX_CSV_RECORD_BYTES + 16;

    /** The reason of a record with bytes that are not UTF-8 (files are UTF-8; a BOM is fine). */
    static String notUtf8(long line) {
        return "not valid UTF-8 at line " + line;
    }

    private RowReaders() {
    }

    /**
     * Reads all of {@code in}.
     *
     * @param in        decompressed input, positioned at a record boundary
     * @param firstLine file line number of the first byte of {@code in}
     * @param csvHeader the CSV header, or null when {@code in} starts at the beginning of the file
     *                  and its first record is the header (ignored for JSON Lines)
     * @throws IOException also when a CSV header read from {@code in} is malformed
     */
    public static RowReader open(DataFormat format, InputStream in, long firstLine, List<String> csvHeader)
            throws IOException {
        return open(format, in, firstLine, csvHeader, Long.MAX_VALUE);
    }

    /**
     * Reads the records that start before {@code chunkLength}. For CSV, {@code in} should go on up
     * to {@link #CSV_BYTES_PAST_CHUNK_END} past it (or to the end of the file), read only when a
     * record needs it; for JSON Lines, records never cross a chunk's end and {@code in} must end there.
     */
    public static RowReader open(DataFormat format, InputStream in, long firstLine, List<String> csvHeader,
                                 long chunkLength) throws IOException {
        return switch (format) {
            case CSV -> CsvRowReader.open(in, firstLine, csvHeader, chunkLength, MAX_CSV_RECORD_BYTES);
            case JSON_LINES -> new JsonLinesRowReader(in, firstLine);
            case PARQUET -> throw new IllegalArgumentException("a Parquet file is read by ranges (ParquetRowReader), not as a stream");
        };
    }
}
