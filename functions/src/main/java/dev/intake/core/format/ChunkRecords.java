package dev.intake.core.format;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;

/**
 * The records of one chunk of a file: for the byte range [start, end), those that start in
 * [{@code at(start)}, {@code at(end)}) (see {@link RecordBoundaries}), so a file's chunks read every
 * record exactly once, wherever it was cut.
 *
 * <p>A chunk does not know how many lines come before it. Its rows are numbered from its own first
 * line, which is line 1 at the start of the file and stands as line 2 after it (at least one line
 * came before: the file's line numbers are {@code line - 2 + 1 + the line breaks before it}); it
 * counts the line breaks of its records ({@link #lineBreaks}), so that whoever has its file's chunks
 * in order can number every row as a read of the whole file does ({@link #withLinesShifted}
 * for the reasons that name lines).
 */
public final class ChunkRecords implements RowReader {
    private final RowReader reader;
    private final List<String> header;
    private final LineBreaks owned;
    private final long firstLine;

    private ChunkRecords(RowReader reader, List<String> header, LineBreaks owned, long firstLine) {
        this.reader = reader;
        this.header = header;
        this.owned = owned;
        this.firstLine = firstLine;
    }

    /**
     * A whole file, read from the start as a stream (a gzip-compressed file, decompressed, is always
     * one chunk); a CSV file's header is read from it.
     *
     * @throws CsvHeaderException when the CSV header is malformed
     */
    public static ChunkRecords whole(DataFormat format, InputStream in) throws IOException {
        return whole(format, in, RowReaders.MAX_CSV_RECORD_BYTES);
    }

    static ChunkRecords whole(DataFormat format, InputStream in, int maxCsvRecordBytes) throws IOException {
        RecordBoundaries.SourceFailures source = new RecordBoundaries.SourceFailures(in);
        RowReader reader;
        try {
            reader = format == DataFormat.CSV
                    ? CsvRowReader.open(source, 1, null, Long.MAX_VALUE, maxCsvRecordBytes)
                    : RowReaders.open(format, source, 1, null);
        } catch (IOException e) {
            throw source.failed() || format != DataFormat.CSV ? e : new CsvHeaderException(e.getMessage());
        }
        return new ChunkRecords(reader, reader.header(), null, 1);
    }

    /**
     * The records of the range [start, end) of an uncompressed file. Reads, besides them, the CSV
     * header (from the start of the file), a window around each end of the range that is not an end
     * of the file, and for CSV, only if a record that fails asks for them, bytes after the range's
     * last record (a failed quoted field is judged on the bytes after it, up to the record limit).
     *
     * @throws CsvHeaderException when the CSV header is malformed
     */
    public static ChunkRecords range(DataFormat format, ByteRanges file, long start, long end) throws IOException {
        return range(format, file, start, end, RowReaders.MAX_CSV_RECORD_BYTES);
    }

    static ChunkRecords range(DataFormat format, ByteRanges file, long start, long end, int maxCsvRecordBytes)
            throws IOException {
        long size = file.size();
        if (start <= 0 && end >= size) {
            return whole(format, file.open(0, size), maxCsvRecordBytes);
        }
        RecordBoundaries boundaries = new RecordBoundaries(format, file, maxCsvRecordBytes);
        List<String> header = format == DataFormat.CSV ? boundaries.csvHeader().names() : List.of();
        long from = boundaries.at(start);
        long to = boundaries.at(end);
        long firstLine = from == 0 ? 1 : 2;
        if (from >= to) {
            return new ChunkRecords(new NoRecords(header), header, new LineBreaks(format, InputStream.nullInputStream(), 0),
                    firstLine);
        }
        LineBreaks owned = new LineBreaks(format, file.open(from, to), to - from);
        RowReader reader;
        if (format == DataFormat.CSV) {
            InputStream tail = new RangedInputStream(file, to, Math.min(size, to + maxCsvRecordBytes + 16L));
            // At the start of the file the reader reads the header itself (the same one, already checked).
            reader = CsvRowReader.open(new SequenceInputStream(owned, tail), firstLine, from == 0 ? null : header, to - from,
                    maxCsvRecordBytes);
        } else {
            reader = RowReaders.open(format, owned, firstLine, null);
        }
        return new ChunkRecords(reader, header, owned, firstLine);
    }

    /**
     * The reasons readers give that name lines (always lines of the record's own reading, never a
     * value from the file): a reason of a chunk's row is numbered as its rows are and is shifted
     * with them. Anchored, so that no other reason (a schema's, which may quote values) is touched.
     */
    private static final List<java.util.regex.Pattern> REASONS_WITH_LINES = List.of(
            java.util.regex.Pattern.compile("unterminated quote: the quoted field opened at line \\d+ is not closed before "
                    + "the end of the file(; reading resumed at line \\d+)?"),
            java.util.regex.Pattern.compile("the quoted field opened at line \\d+ runs past the record limit of \\d+ bytes "
                    + "\\(at line \\d+\\)(; reading resumed at line \\d+)?"),
            java.util.regex.Pattern.compile("text after the closing quote of the quoted field opened at line \\d+ \\(a quote "
                    + "inside a quoted field is written as two quotes\\)(; reading resumed at line \\d+)?"),
            java.util.regex.Pattern.compile("not valid UTF-8 at line \\d+"));
    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("line (\\d+)");

    /** A row's reason with the lines it names moved by {@code lines} (a chunk's rows numbered as the file's). */
    public static String withLinesShifted(String reason, long lines) {
        if (lines == 0 || REASONS_WITH_LINES.stream().noneMatch(p -> p.matcher(reason).matches())) {
            return reason;
        }
        return LINE.matcher(reason).replaceAll(m -> "line " + (Long.parseLong(m.group(1)) + lines));
    }

    @Override
    public RawRow next() throws IOException {
        return reader.next();
    }

    /** The file's CSV header (also for a chunk that starts after it); empty for JSON Lines. */
    @Override
    public List<String> header() {
        return header;
    }

    /** The number the chunk's first line has: 1 at the start of the file, else 2 (see the class comment). */
    public long firstLine() {
        return firstLine;
    }

    /**
     * The line breaks in the chunk's records, once they are read (0 for a whole file, where nothing
     * follows): the next chunk of the file starts that many lines after this one.
     */
    public long lineBreaks() {
        if (owned == null) {
            return 0;
        }
        if (owned.bytes != owned.length) {
            throw new IllegalStateException("the chunk's records are not all read: " + owned.bytes + " of " + owned.length
                    + " bytes");
        }
        return owned.count;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /**
     * Counts the line breaks of the bytes read through it as the readers count lines: for CSV every
     * LF, CRLF and lone CR, for JSON Lines every LF. Boundaries never fall between a CR and its LF.
     */
    private static final class LineBreaks extends FilterInputStream {
        private final boolean csv;
        private long count;
        private final long length;
        private long bytes;
        private boolean afterCr;

        LineBreaks(DataFormat format, InputStream in, long length) {
            super(in);
            this.csv = format == DataFormat.CSV;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                return n;
            }
            bytes += n;
            for (int i = off; i < off + n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (!(csv && afterCr)) {
                        count++;
                    }
                } else if (c == '\r' && csv) {
                    count++;
                }
                afterCr = c == '\r';
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("line breaks are counted: skipping is not supported");
        }
    }

    /** A chunk whose range holds no record start. */
    private record NoRecords(List<String> header) implements RowReader {
        @Override
        public RawRow next() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
