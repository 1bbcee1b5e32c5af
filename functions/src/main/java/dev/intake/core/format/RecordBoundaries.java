package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Where a file's records start, found from any offset by reading a bounded window around it rather
 * than the whole file before it.
 *
 * <p>The rule that makes chunks consistent: chunk [s, e) reads exactly the records that start in
 * [{@code at(s)}, {@code at(e)}). {@link #at} is one deterministic function of the file's bytes, the
 * first record start at or after the offset that a read of the whole file meets, so neighbouring
 * chunks agree on the boundary between them without talking to each other, and every record is
 * read by exactly one chunk.
 *
 * <p>JSON Lines records start after every LF. CSV records are those of {@link CsvScanner}, whose
 * quoted fields may hold line breaks, so whether a line break ends a record depends on everything
 * before it. From a line break that starts a record, the scanner finds every later record start;
 * from one inside a quoted field, it finds other ones, but such wrong chains soon meet the true one
 * (after which they agree) or go on disagreeing. So the boundary is found by scanning one record
 * from every line start of a window that ends at the offset and is longer than the scanner's record
 * limit: the true chain must have a record start in it (a record longer than the limit holds no line
 * break past it), and if every chain from the window reaches the same first start at or after the
 * offset, that is the boundary. When the chains disagree, or the window holds no line break near its
 * end, the window cannot tell: the records are then scanned from the end of the header, exactly as a
 * whole-file read does (counted by {@link #fallbacks}). A CSV file's header (and the blank lines
 * before it) is one unit: no boundary falls inside it.
 */
public final class RecordBoundaries {
    /** What the scanners of one window read at most, per window byte (plus a read per line start), before it gives up. */
    private static final int MAX_SCANNED_PER_WINDOW_BYTE = 16;
    /** What a scanner gets per read from a window: little, as most scanners there read one short record. */
    private static final int WINDOW_READ_BYTES = 512;

    /** A CSV file's header, and where the data after it starts. */
    public record CsvHeader(List<String> names, long end) {
        public CsvHeader {
            names = List.copyOf(names);
        }
    }

    private final DataFormat format;
    private final ByteRanges file;
    private final int maxRecordBytes;
    private CsvHeader csvHeader;
    private int fallbacks;

    RecordBoundaries(DataFormat format, ByteRanges file, int maxRecordBytes) {
        this.format = format;
        this.file = file;
        this.maxRecordBytes = maxRecordBytes;
    }

    public static RecordBoundaries of(DataFormat format, ByteRanges file) {
        return new RecordBoundaries(format, file, RowReaders.MAX_CSV_RECORD_BYTES);
    }

    /** The first record boundary at or after {@code offset}: 0, the start of a record, or the file's size. */
    public long at(long offset) throws IOException {
        long size = file.size();
        if (offset <= 0) {
            return 0;
        }
        if (offset >= size) {
            return size;
        }
        return format == DataFormat.CSV ? csvAt(offset) : afterLineFeed(offset - 1);
    }

    /** How often the window could not tell and the records before the offset were scanned from the header. */
    int fallbacks() {
        return fallbacks;
    }

    /**
     * The file's header (a CSV file's first record that is not blank, a BOM skipped), read from the
     * start of the file as far as it goes.
     *
     * @throws CsvHeaderException when the header is malformed (the file's fault)
     */
    public CsvHeader csvHeader() throws IOException {
        if (csvHeader == null) {
            SourceFailures in = new SourceFailures(new RangedInputStream(file, 0, file.size()));
            try (CsvRowReader reader = CsvRowReader.open(in, 1, null, Long.MAX_VALUE, maxRecordBytes)) {
                csvHeader = new CsvHeader(reader.header(), reader.scanner().offset());
            } catch (IOException e) {
                throw in.failed() ? e : new CsvHeaderException(e.getMessage());
            }
        }
        return csvHeader;
    }

    private long afterLineFeed(long from) throws IOException {
        long position = from;
        try (InputStream in = new RangedInputStream(file, from, file.size())) {
            byte[] buffer = new byte[WINDOW_READ_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; position += n) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        return position + i + 1;
                    }
                }
            }
        }
        return file.size();
    }

    private long csvAt(long offset) throws IOException {
        long headerEnd = csvHeader().end();
        if (offset <= headerEnd) {
            return headerEnd;
        }
        int margin = Math.max(64, maxRecordBytes / 16);
        long windowStart = offset - maxRecordBytes - margin;
        if (windowStart <= headerEnd) {
            return firstStartFrom(headerEnd, offset); // the window reaches the header: scan from there
        }
        long found = fromWindow(windowStart, offset, margin);
        if (found >= 0) {
            return found;
        }
        fallbacks++;
        return firstStartFrom(headerEnd, offset);
    }

    /** Scans from a known record start to the first record start at or after {@code offset}: exact, and linear. */
    private long firstStartFrom(long start, long offset) throws IOException {
        if (start >= offset) {
            return start;
        }
        CsvScanner scanner = new CsvScanner(new RangedInputStream(file, start, file.size()), 1, Long.MAX_VALUE,
                maxRecordBytes);
        try {
            scanner.collectFields(false);
            while (scanner.next()) {
                long end = start + scanner.recordEnd();
                if (end >= offset) {
                    return end;
                }
            }
            return file.size();
        } finally {
            scanner.close();
        }
    }

    /**
     * The first record start at or after {@code offset} as every line start in (windowStart, offset)
     * leads to it, or -1 when the window cannot tell (see the class comment).
     */
    private long fromWindow(long windowStart, long offset, int margin) throws IOException {
        Window window = new Window(file, windowStart, Math.min(file.size(), offset + maxRecordBytes + margin));
        window.byteAt(offset); // one read for the window before the offset
        // Each line start before the offset is a hypothesis for the last record start before it; the
        // true one is among them: a record longer than the record limit (+ a CRLF) holds no line break
        // after its first limit + 1 bytes, and here is one, so no record spans the window.
        long[] starts = lineStarts(window, windowStart, offset - 1);
        if (starts.length == 0 || starts[starts.length - 1] < windowStart + maxRecordBytes + 8) {
            return -1;
        }
        long[] first = new long[starts.length];
        Arrays.fill(first, -1);
        long budget = MAX_SCANNED_PER_WINDOW_BYTE * (offset - windowStart + margin) + (long) starts.length * WINDOW_READ_BYTES;
        long answer = -1;
        int[] chain = new int[16];
        for (int i = 0; i < starts.length; i++) {
            if (first[i] < 0) {
                // One scanner follows the chain from this start until it passes the offset or meets a
                // chain followed before (from there on they agree); usually the first chain meets them all.
                int chainLength = 0;
                long result = -1;
                // Most chains are one short record (from a line start inside a quoted field to the end of
                // its record): a small buffer, grown if a chain needs more.
                CsvScanner scanner = new CsvScanner(window.from(starts[i]), 1, Long.MAX_VALUE, maxRecordBytes,
                        WINDOW_READ_BYTES);
                scanner.collectFields(false);
                for (int at = i; result < 0; ) {
                    if (chainLength == chain.length) {
                        chain = Arrays.copyOf(chain, chainLength * 2);
                    }
                    chain[chainLength++] = at;
                    long next = scanner.next() ? starts[i] + scanner.recordEnd() : file.size();
                    if (window.truncated() || window.delivered() > budget) {
                        return -1;
                    }
                    if (next >= offset) {
                        result = next;
                    } else {
                        at = Arrays.binarySearch(starts, next);
                        if (at < 0) {
                            throw new IllegalStateException("record end " + next + " is not after a line break");
                        }
                        result = first[at];
                    }
                }
                for (int k = 0; k < chainLength; k++) {
                    first[chain[k]] = result;
                }
                if (first[i] < 0) {
                    first[i] = result;
                }
            }
            if (answer >= 0 && first[i] != answer) {
                return -1; // the chains disagree: which one is true depends on bytes before the window
            }
            answer = first[i];
        }
        return answer;
    }

    /** Positions in (from, to] right after a line break (LF, CRLF or a lone CR): where a record may start. */
    private static long[] lineStarts(Window window, long from, long to) throws IOException {
        long[] starts = new long[64];
        int count = 0;
        for (long p = from; p < to; p++) { // the break's last byte at p, the start after it at p + 1
            int c = window.byteAt(p);
            boolean lineEnd = c == '\n' || c == '\r' && window.byteAt(p + 1) != '\n';
            if (lineEnd) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = p + 1;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    /** Bytes [start, limit) of the file, fetched as they are asked for; reading past the limit is noted. */
    private static final class Window {
        private final ByteRanges file;
        private final long start;
        private final long limit;
        private byte[] bytes = new byte[0];
        private int length;
        private boolean truncated;
        private long delivered;

        Window(ByteRanges file, long start, long limit) {
            this.file = file;
            this.start = start;
            this.limit = limit;
        }

        /** The byte at a position, -1 past the limit. */
        int byteAt(long position) throws IOException {
            if (position >= limit || position < start) {
                return -1;
            }
            fetchTo(position + 1);
            return bytes[(int) (position - start)] & 0xFF;
        }

        private void fetchTo(long end) throws IOException {
            if (end <= start + length) {
                return;
            }
            // The first read takes what the line starts need (up to the offset) and a piece more; later ones a piece.
            long fetchEnd = Math.min(limit, Math.max(end, start + length) + RangedInputStream.FIRST_PIECE_BYTES);
            int newLength = (int) (fetchEnd - start);
            bytes = Arrays.copyOf(bytes, newLength);
            try (InputStream in = file.open(start + length, fetchEnd)) {
                int read = in.readNBytes(bytes, length, newLength - length);
                if (read < newLength - length) {
                    throw new java.io.EOFException("the object ended at byte " + (start + length + read) + ", before byte "
                            + fetchEnd);
                }
            }
            length = newLength;
        }

        boolean truncated() {
            return truncated;
        }

        long delivered() {
            return delivered;
        }

        /** The window's bytes from a position on, as a stream that ends at the limit. */
        InputStream from(long position) {
            return new InputStream() {
                private long at = position;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (at >= limit) {
                        truncated |= limit < file.size(); // a scanner needed bytes the window does not hold
                        return -1;
                    }
                    int n = (int) Math.min(Math.min(len, WINDOW_READ_BYTES), limit - at);
                    fetchTo(at + n);
                    System.arraycopy(bytes, (int) (at - start), b, off, n);
                    at += n;
                    delivered += n;
                    return n;
                }
            };
        }
    }

    /** Tells the failures of the bytes' source from those of what is made of them. */
    static final class SourceFailures extends java.io.FilterInputStream {
        private boolean failed;

        SourceFailures(InputStream in) {
            super(in);
        }

        boolean failed() {
            return failed;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
