package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Where CSV records start and end, on bytes: the one grammar that both {@link CsvRowReader} (which
 * reads a chunk's rows) and {@link ChunkSplitter} (which cuts a file into chunks) run, so the two
 * always agree on record boundaries and line numbers, on valid and invalid input alike. In UTF-8
 * every byte of a multi-byte character is >= 0x80, so comma, quote, CR and LF bytes are always
 * those characters.
 *
 * <p>The rules:
 * <ul>
 * <li>Records end at LF, CRLF or a lone CR outside a quoted field. Every line break counts as one
 *     line, inside quoted fields too, so line numbers are file lines.
 * <li>A field that starts with {@code "} is quoted: it may hold commas and line breaks, {@code ""}
 *     is one quote, and it ends at a quote followed by a comma, a line break or the end of input.
 * <li>A quote anywhere else in a field is a literal character ({@code 5'10" tall} is that text).
 * <li>A quoted field that does not end properly (text after its closing quote, no closing quote
 *     before the end of input, or more than the record limit) fails its record. If the field spans
 *     lines, the failed record ends at the end of the line where the quote opened and reading
 *     resumes on the next line, so an unmatched quote never swallows the rows after it.
 * <li>A record longer than the limit fails; reading resumes after the line break that follows.
 * </ul>
 *
 * <p>Memory is bounded by the record limit: a quoted field may need replaying from the line after
 * its opening quote, and that is never more than the limit behind.
 */
final class CsvScanner {
    static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final int START_FIELD = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int CLOSED = 3;

    private final InputStream in;
    private final long logicalEnd;
    private final int maxRecordBytes;
    private boolean collectFields = true;
    private boolean scanBufferedRecords = true;

    private byte[] buffer;
    /** Stream offset of {@code buffer[0]}. */
    private long bufferStart;
    private int position;
    private int limit;
    private boolean endOfStream;
    /** Stream offset from which bytes must stay in the buffer (a possible replay), or MAX_VALUE. */
    private long keepFrom = Long.MAX_VALUE;
    private long line;

    // The record just scanned.
    private long recordLine;
    private long recordEnd;
    private String problem;
    private byte[] fieldBytes = new byte[1024];
    private int fieldBytesLength;
    private int[] fieldEnds = new int[16];
    private boolean[] fieldQuoted = new boolean[16];
    private int fieldCount;
    private boolean ascii;

    /**
     * @param logicalEnd     records that start at or after this stream offset are not read (a chunk's
     *                       end; the stream may go on past it so that a record which fails beyond
     *                       it is judged on the same bytes as when the file was split)
     * @param maxRecordBytes longest record read; longer ones fail
     */
    CsvScanner(InputStream in, long firstLine, long logicalEnd, int maxRecordBytes) {
        this(in, firstLine, logicalEnd, maxRecordBytes, 64 * 1024);
    }

    /** @param bufferBytes the buffer to start with (it grows as records need): small for a scanner of one record */
    CsvScanner(InputStream in, long firstLine, long logicalEnd, int maxRecordBytes, int bufferBytes) {
        this.in = in;
        this.line = firstLine;
        this.logicalEnd = logicalEnd;
        this.maxRecordBytes = maxRecordBytes;
        this.buffer = new byte[bufferBytes];
    }

    /** Skips a UTF-8 byte order mark at the current position (only the file's start can have one). */
    void skipByteOrderMark() throws IOException {
        if (available(3) && (buffer[position] & 0xFF) == 0xEF && (buffer[position + 1] & 0xFF) == 0xBB
                && (buffer[position + 2] & 0xFF) == 0xBF) {
            position += 3;
        }
    }

    /** Whether {@link #scanBuffered} may read records (tests compare it with the general reading). */
    void scanBufferedRecords(boolean enabled) {
        this.scanBufferedRecords = enabled;
    }

    /** Whether to keep field values; the splitter only needs boundaries. */
    void collectFields(boolean collect) {
        this.collectFields = collect;
    }

    /** Scans the next record; false at the end of input (or of the chunk). */
    boolean next() throws IOException {
        problem = null;
        fieldBytesLength = 0;
        fieldCount = 0;
        keepFrom = Long.MAX_VALUE;
        if (offset() >= logicalEnd) {
            return false;
        }
        if (position >= limit) {
            fill(); // as read() would, so the first record too can be read from the buffer
        }
        if (collectFields && scanBufferedRecords && scanBuffered()) {
            return true;
        }
        ascii = false;
        int c = read();
        if (c == -1) {
            return false;
        }
        recordLine = line;
        int recordBytes = 0;
        int state = START_FIELD;
        boolean quoted = false;
        long quoteLine = 0;
        long resumeOffset = -1;
        long resumeLine = 0;
        for (; ; c = read()) {
            if (c == -1) {
                if (state == QUOTED) {
                    String why = "unterminated quote: the quoted field opened at line " + quoteLine
                            + " is not closed before the end of the file";
                    if (resumeOffset >= 0) {
                        return failAndResume(why, resumeOffset, resumeLine);
                    }
                    fail(why);
                }
                endField(quoted);
                break;
            }
            if (c == CR || c == LF) {
                boolean crlf = c == CR && !(state != QUOTED && offset() == logicalEnd) && peek() == LF;
                if (crlf) {
                    position++;
                }
                line++;
                if (state != QUOTED) {
                    endField(quoted);
                    break;
                }
                recordBytes += crlf ? 2 : 1;
                if (resumeOffset < 0) {
                    resumeOffset = offset();
                    resumeLine = line;
                    keepFrom = resumeOffset;
                }
                if (recordBytes > maxRecordBytes) {
                    return failAndResume(quotedTooLong(quoteLine), resumeOffset, resumeLine);
                }
                append(c, recordBytes);
                if (crlf) {
                    append(LF, recordBytes);
                }
                continue;
            }
            if (++recordBytes > maxRecordBytes) {
                if (state == QUOTED && resumeOffset >= 0) {
                    return failAndResume(quotedTooLong(quoteLine), resumeOffset, resumeLine);
                }
                fail(state == QUOTED ? quotedTooLong(quoteLine) : "record exceeds " + maxRecordBytes + " bytes");
                skipToLineEnd();
                break;
            }
            switch (state) {
                case START_FIELD -> {
                    if (c == '"') {
                        state = QUOTED;
                        quoted = true;
                        quoteLine = line;
                        resumeOffset = -1; // only this field's own line breaks matter
                        keepFrom = Long.MAX_VALUE;
                    } else if (c == ',') {
                        endField(false);
                    } else {
                        state = UNQUOTED;
                        append(c, recordBytes);
                        recordBytes += appendRun(false, recordBytes);
                    }
                }
                case UNQUOTED -> {
                    if (c == ',') {
                        endField(quoted);
                        state = START_FIELD;
                        quoted = false;
                    } else {
                        append(c, recordBytes);
                        recordBytes += appendRun(false, recordBytes);
                    }
                }
                case QUOTED -> {
                    if (c != '"') {
                        append(c, recordBytes);
                        recordBytes += appendRun(true, recordBytes);
                    } else if (peek() == '"') {
                        position++;
                        recordBytes++;
                        append('"', recordBytes);
                    } else {
                        int after = peek();
                        if (after == ',' || after == CR || after == LF || after == -1) {
                            state = CLOSED;
                        } else {
                            String why = "text after the closing quote of the quoted field opened at line " + quoteLine
                                    + " (a quote inside a quoted field is written as two quotes)";
                            if (resumeOffset >= 0) {
                                return failAndResume(why, resumeOffset, resumeLine);
                            }
                            fail(why);
                            state = UNQUOTED; // the rest of the field is text; the record has failed already
                        }
                    }
                }
                default -> { // CLOSED: only a comma can follow here (line breaks and the end are above)
                    endField(true);
                    state = START_FIELD;
                    quoted = false;
                }
            }
        }
        recordEnd = offset();
        keepFrom = Long.MAX_VALUE;
        return true;
    }

    /**
     * The common case in one tight loop: a record whose fields are copied in runs, found whole in
     * the buffered bytes, without a line break inside quotes and with nothing that fails. Anything
     * else returns false having changed nothing but the field bytes, and {@link #next} reads the
     * record by the rules above; so both read every record alike.
     */
    private boolean scanBuffered() {
        byte[] bytes = buffer;
        int start = position;
        // A record holds at most maxRecordBytes before its line break, and a CR needs the byte after it.
        int end = (int) Math.min(limit, start + (long) maxRecordBytes + 2);
        int p = start;
        int length = 0;
        int seen = 0; // every byte of the record ORed: negative if one is not ASCII
        int fields = 0;
        byte c;
        while (true) {
            if (p >= end) {
                return false;
            }
            boolean quoted = bytes[p] == '"';
            if (quoted) {
                p++;
                while (true) {
                    int run = p;
                    while (p < end && (c = bytes[p]) != '"' && c != LF && c != CR) {
                        seen |= c;
                        p++;
                    }
                    length = copyRun(bytes, run, p, length);
                    if (p + 1 >= end || bytes[p] != '"') {
                        return false; // a line break inside quotes, or the buffer's end
                    }
                    c = bytes[p + 1];
                    if (c != '"') {
                        break;
                    }
                    length = copyRun(bytes, p, p + 1, length); // "" is one quote
                    p += 2;
                }
                if (c != ',' && c != LF && c != CR) {
                    return false; // text after the closing quote
                }
                p++;
            } else {
                int run = p;
                while (p < end && (c = bytes[p]) != ',' && c != LF && c != CR) {
                    seen |= c;
                    p++;
                }
                if (p >= end) {
                    return false;
                }
                length = copyRun(bytes, run, p, length);
                c = bytes[p];
            }
            if (fields == fieldEnds.length) {
                fieldEnds = Arrays.copyOf(fieldEnds, fields * 2);
                fieldQuoted = Arrays.copyOf(fieldQuoted, fields * 2);
            }
            fieldEnds[fields] = length;
            fieldQuoted[fields] = quoted;
            fields++;
            if (c == ',') {
                p++;
                continue;
            }
            if (p - start > maxRecordBytes) {
                return false;
            }
            p++;
            if (c == CR && bufferStart + p != logicalEnd) { // at a chunk's end a CR is a lone CR, as in next
                if (p >= limit) {
                    return false; // whether an LF follows is not known yet
                }
                if (bytes[p] == LF) {
                    p++;
                }
            }
            break;
        }
        recordLine = line++;
        position = p;
        recordEnd = bufferStart + p;
        fieldBytesLength = length;
        fieldCount = fields;
        ascii = seen >= 0;
        return true;
    }

    /** Appends {@code bytes[from, to)} to the field bytes at {@code length}; returns the new length. */
    private int copyRun(byte[] bytes, int from, int to, int length) {
        int n = to - from;
        if (length + n > fieldBytes.length) {
            fieldBytes = Arrays.copyOf(fieldBytes, Math.max(fieldBytes.length * 2, length + n));
        }
        System.arraycopy(bytes, from, fieldBytes, length, n);
        return length + n;
    }

    /** Whether the record just scanned is all ASCII (so UTF-8 already); false when not known. */
    boolean ascii() {
        return ascii;
    }

    private String quotedTooLong(long quoteLine) {
        return "the quoted field opened at line " + quoteLine + " runs past the record limit of " + maxRecordBytes
                + " bytes (at line " + line + ")";
    }

    private void fail(String why) {
        if (problem == null) {
            problem = why;
        }
    }

    /** The record fails and ends where the line after its bad quote starts; reading goes on from there. */
    private boolean failAndResume(String why, long resumeOffset, long resumeLine) {
        fail(why + "; reading resumed at line " + resumeLine);
        position = (int) (resumeOffset - bufferStart);
        line = resumeLine;
        recordEnd = resumeOffset;
        keepFrom = Long.MAX_VALUE;
        return true;
    }

    private void skipToLineEnd() throws IOException {
        for (int c = read(); c != -1; c = read()) {
            if (c == CR || c == LF) {
                if (c == CR && offset() != logicalEnd && peek() == LF) {
                    position++;
                }
                line++;
                return;
            }
        }
    }

    /**
     * Takes the buffered bytes that need no decision (up to the next comma, quote or line break,
     * never past the record limit) in one go, as {@link #append} would one by one; returns how many.
     */
    private int appendRun(boolean quotedField, int recordBytes) {
        int end = (int) Math.min(limit, position + (long) (maxRecordBytes - recordBytes));
        int i = position;
        if (quotedField) {
            while (i < end) {
                byte b = buffer[i];
                if (b == '"' || b == CR || b == LF) {
                    break;
                }
                i++;
            }
        } else {
            while (i < end) {
                byte b = buffer[i];
                if (b == ',' || b == CR || b == LF) {
                    break;
                }
                i++;
            }
        }
        int n = i - position;
        if (n > 0 && collectFields) {
            if (fieldBytesLength + n > fieldBytes.length) {
                fieldBytes = Arrays.copyOf(fieldBytes, Math.max(fieldBytes.length * 2, fieldBytesLength + n));
            }
            System.arraycopy(buffer, position, fieldBytes, fieldBytesLength, n);
            fieldBytesLength += n;
        }
        position = i;
        return n;
    }

    private void append(int c, int recordBytes) {
        if (!collectFields || recordBytes > maxRecordBytes) {
            return;
        }
        if (fieldBytesLength == fieldBytes.length) {
            fieldBytes = Arrays.copyOf(fieldBytes, fieldBytes.length * 2);
        }
        fieldBytes[fieldBytesLength++] = (byte) c;
    }

    private void endField(boolean quoted) {
        if (!collectFields) {
            return;
        }
        if (fieldCount == fieldEnds.length) {
            fieldEnds = Arrays.copyOf(fieldEnds, fieldCount * 2);
            fieldQuoted = Arrays.copyOf(fieldQuoted, fieldCount * 2);
        }
        fieldEnds[fieldCount] = fieldBytesLength;
        fieldQuoted[fieldCount] = quoted;
        fieldCount++;
    }

    /** File line where the record starts. */
    long recordLine() {
        return recordLine;
    }

    /** Stream offset where the record ends and the next one starts. */
    long recordEnd() {
        return recordEnd;
    }

    /** The line the next record starts on. */
    long line() {
        return line;
    }

    /** Stream offset of the next byte to scan. */
    long offset() {
        return bufferStart + position;
    }

    /** Why the record fails to scan, or null. */
    String problem() {
        return problem;
    }

    int fieldCount() {
        return fieldCount;
    }

    /** The record's field bytes, one after another; see {@link #fieldEnd}. */
    byte[] fieldBytes() {
        return fieldBytes;
    }

    int fieldStart(int field) {
        return field == 0 ? 0 : fieldEnds[field - 1];
    }

    int fieldEnd(int field) {
        return fieldEnds[field];
    }

    boolean fieldQuoted(int field) {
        return fieldQuoted[field];
    }

    /** A line of only spaces and tabs (or nothing): not a record. */
    boolean blank() {
        if (problem != null || fieldCount != 1 || fieldQuoted[0]) {
            return false;
        }
        for (int i = 0; i < fieldEnds[0]; i++) {
            if (fieldBytes[i] != ' ' && fieldBytes[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private int read() throws IOException {
        if (position >= limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    private int peek() throws IOException {
        if (position >= limit && !fill()) {
            return -1;
        }
        return buffer[position] & 0xFF;
    }

    private boolean available(int n) throws IOException {
        while (limit - position < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads more bytes, keeping those a replay may need. Reads stop at the logical end until a record
     * needs the bytes after it, so a chunk reader only asks for them when a record runs past its end.
     */
    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        int keep = (int) Math.max(0, Math.min(keepFrom, offset()) - bufferStart);
        if (keep > 0) {
            System.arraycopy(buffer, keep, buffer, 0, limit - keep);
            limit -= keep;
            position -= keep;
            bufferStart += keep;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        long streamOffset = bufferStart + limit;
        int room = buffer.length - limit;
        if (streamOffset < logicalEnd) {
            room = (int) Math.min(room, logicalEnd - streamOffset);
        }
        int n = in.read(buffer, limit, room);
        if (n < 0) {
            endOfStream = true;
            return false;
        }
        limit += n;
        return true;
    }

    void close() throws IOException {
        in.close();
    }
}
