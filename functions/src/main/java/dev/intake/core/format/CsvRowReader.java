package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV: comma separated, double-quote quoted, {@code ""} escapes a quote, quoted fields may
 * hold commas and CR, LF or CRLF newlines. Records end with LF, CRLF or a lone CR.
 *
 * <p>Any {@code "} outside quotes opens a quoted section, not only one at the start of a field. On
 * valid input that is the same thing; on invalid input it keeps this reader in step with
 * {@link ChunkSplitter}, which finds record boundaries by toggling on every quote.
 *
 * <p>Every CR, LF or CRLF counts as one line, inside quotes too, so line numbers are file lines.
 */
final class CsvRowReader implements RowReader {
    private enum Outcome { END_OF_INPUT, BLANK, FIELDS, UNTERMINATED_QUOTE, TOO_LONG, INVALID_UTF8 }

    private final CharCursor input;
    private List<String> header;
    private long line;

    // The record being read, reused from record to record.
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private boolean fieldQuoted;
    private int recordChars;
    /** The first line of the record that holds bytes that are not UTF-8, or -1. */
    private long invalidLine;

    private CsvRowReader(InputStream in, long firstLine) {
        this.input = new CharCursor(in);
        this.line = firstLine;
    }

    static CsvRowReader open(InputStream in, long firstLine, List<String> header) throws IOException {
        CsvRowReader reader = new CsvRowReader(in, firstLine);
        try {
            reader.header = header != null ? List.copyOf(header) : reader.readHeader();
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public RawRow next() throws IOException {
        while (true) {
            long startLine = line;
            switch (readRecord()) {
                case END_OF_INPUT:
                    return null;
                case BLANK:
                    continue;
                case UNTERMINATED_QUOTE:
                    return RawRow.malformed(startLine, "unterminated quote at end of input");
                case TOO_LONG:
                    return RawRow.malformed(startLine, RowReaders.RECORD_TOO_LONG);
                case INVALID_UTF8:
                    return RawRow.malformed(startLine, RowReaders.notUtf8(invalidLine));
                default:
                    return toRow(startLine);
            }
        }
    }

    private RawRow toRow(long startLine) {
        if (fields.size() != header.size()) {
            return RawRow.malformed(startLine,
                    "expected " + header.size() + " fields but found " + fields.size());
        }
        Map<String, Object> values = new LinkedHashMap<>(header.size() * 2);
        for (int i = 0; i < fields.size(); i++) {
            values.put(header.get(i), fields.get(i));
        }
        return RawRow.of(startLine, Collections.unmodifiableMap(values));
    }

    private List<String> readHeader() throws IOException {
        if (input.peek() == '\uFEFF') {
            input.read();
        }
        while (true) {
            long startLine = line;
            switch (readRecord()) {
                case END_OF_INPUT:
                    return List.of();
                case BLANK:
                    continue;
                case UNTERMINATED_QUOTE:
                    throw new IOException("line " + startLine + ": CSV header has an unterminated quote");
                case TOO_LONG:
                    throw new IOException("line " + startLine + ": CSV header " + RowReaders.RECORD_TOO_LONG);
                case INVALID_UTF8:
                    throw new IOException("CSV header " + RowReaders.notUtf8(invalidLine));
                default:
                    return fields.stream().map(name -> name == null ? "" : name.strip()).toList();
            }
        }
    }

    /** Reads one record into {@link #fields}; past the length limit it only scans to the record's end. */
    private Outcome readRecord() throws IOException {
        fields.clear();
        field.setLength(0);
        fieldQuoted = false;
        recordChars = 0;
        invalidLine = -1;
        int c = input.read();
        if (c == -1) {
            return Outcome.END_OF_INPUT;
        }
        boolean inQuotes = false;
        for (; c != -1; c = input.read()) {
            if (c == CharCursor.INVALID) {
                if (invalidLine < 0) {
                    invalidLine = line;
                }
                append('\uFFFD'); // only to keep the record's shape; the record fails
            } else if (c == '\r' || c == '\n') {
                line++;
                boolean crlf = c == '\r' && input.peek() == '\n';
                if (crlf) {
                    input.read();
                }
                if (!inQuotes) {
                    break;
                }
                append((char) c);
                if (crlf) {
                    append('\n');
                }
            } else if (c == '"') {
                recordChars++;
                if (inQuotes && input.peek() == '"') {
                    input.read();
                    append('"');
                } else {
                    inQuotes = !inQuotes;
                    fieldQuoted = true;
                }
            } else if (c == ',' && !inQuotes) {
                recordChars++;
                endField();
            } else {
                append((char) c);
            }
        }
        if (recordChars > RowReaders.MAX_RECORD_CHARS) {
            return Outcome.TOO_LONG;
        }
        if (inQuotes) {
            return Outcome.UNTERMINATED_QUOTE;
        }
        if (invalidLine >= 0) {
            return Outcome.INVALID_UTF8;
        }
        if (fields.isEmpty() && !fieldQuoted && isSpacesOrTabs(field)) {
            return Outcome.BLANK;
        }
        endField();
        return Outcome.FIELDS;
    }

    /** Counts a char of the record (its terminator aside) and keeps it while under the length limit. */
    private void append(char c) {
        if (++recordChars <= RowReaders.MAX_RECORD_CHARS) {
            field.append(c);
        }
    }

    /** Unquoted empty is null (no value); quoted empty is the empty string. */
    private void endField() {
        if (recordChars <= RowReaders.MAX_RECORD_CHARS) {
            fields.add(field.length() == 0 && !fieldQuoted ? null : field.toString());
        }
        field.setLength(0);
        fieldQuoted = false;
    }

    private static boolean isSpacesOrTabs(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
