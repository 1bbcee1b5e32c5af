package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Opens the {@link RowReader} for a format. */
public final class RowReaders {
    /** Longest record kept in memory; longer ones are reported as malformed and skipped. */
    static final int MAX_RECORD_CHARS = 1 << 20;
    static final String RECORD_TOO_LONG = "record exceeds " + MAX_RECORD_CHARS + " characters";

    /** The reason of a record with bytes that are not UTF-8 (files are UTF-8; a BOM is fine). */
    static String notUtf8(long line) {
        return "not valid UTF-8 at line " + line;
    }

    private RowReaders() {
    }

    /**
     * @param in        decompressed input, positioned at a record boundary
     * @param firstLine file line number of the first byte of {@code in}
     * @param csvHeader the CSV header, or null when {@code in} starts at the beginning of the file
     *                  and its first record is the header (ignored for JSON Lines)
     * @throws IOException also when a CSV header read from {@code in} is malformed
     */
    public static RowReader open(DataFormat format, InputStream in, long firstLine, List<String> csvHeader)
            throws IOException {
        return switch (format) {
            case CSV -> CsvRowReader.open(in, firstLine, csvHeader);
            case JSON_LINES -> new JsonLinesRowReader(in, firstLine);
        };
    }
}
