package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV with the rules of {@link CsvScanner} for what RFC 4180 leaves invalid: records end
 * at LF, CRLF or a lone CR; a field that starts with a quote is quoted; a quote elsewhere is text;
 * a badly closed quoted field fails its record without taking the following lines with it.
 * An unquoted empty field is null (no value), a quoted empty one the empty string.
 */
final class CsvRowReader implements RowReader {
    private final CsvScanner scanner;
    private List<String> header;
    /** The header's names for every row, or null if it names a column twice (then rows are plain maps). */
    private FieldNames names;

    private CsvRowReader(CsvScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * @param logicalEnd where the chunk ends in {@code in}; the stream may go on past it (see
     *                   {@link CsvScanner})
     */
    static CsvRowReader open(InputStream in, long firstLine, List<String> header, long logicalEnd, int maxRecordBytes)
            throws IOException {
        CsvRowReader reader = new CsvRowReader(new CsvScanner(in, firstLine, logicalEnd, maxRecordBytes));
        try {
            reader.header = header != null ? List.copyOf(header) : reader.readHeader();
            if (new java.util.HashSet<>(reader.header).size() == reader.header.size()) {
                reader.names = new FieldNames(reader.header);
            }
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

    /** The scanner, positioned after the header: the splitter goes on from there on bytes alone. */
    CsvScanner scanner() {
        return scanner;
    }

    @Override
    public RawRow next() throws IOException {
        while (scanner.next()) {
            if (scanner.problem() != null) {
                return RawRow.malformed(scanner.recordLine(), scanner.problem());
            }
            if (scanner.blank()) {
                continue;
            }
            String invalid = scanner.ascii() ? null : invalidUtf8();
            if (invalid != null) {
                return RawRow.malformed(scanner.recordLine(), invalid);
            }
            if (scanner.fieldCount() != header.size()) {
                return RawRow.malformed(scanner.recordLine(),
                        "expected " + header.size() + " fields but found " + scanner.fieldCount());
            }
            if (names != null) {
                Object[] values = new Object[header.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = field(i);
                }
                return RawRow.of(scanner.recordLine(), new RowValues(names, values));
            }
            Map<String, Object> values = new LinkedHashMap<>(header.size() * 2);
            for (int i = 0; i < header.size(); i++) {
                values.put(header.get(i), field(i));
            }
            return RawRow.of(scanner.recordLine(), Collections.unmodifiableMap(values));
        }
        return null;
    }

    private List<String> readHeader() throws IOException {
        scanner.skipByteOrderMark();
        while (scanner.next()) {
            if (scanner.problem() != null) {
                // The file fails: where reading would have resumed is beside the point.
                throw new IOException("line " + scanner.recordLine() + ": CSV header: "
                        + scanner.problem().replaceFirst("; reading resumed at line \\d+$", ""));
            }
            if (scanner.blank()) {
                continue;
            }
            String invalid = invalidUtf8();
            if (invalid != null) {
                throw new IOException("CSV header " + invalid);
            }
            String[] names = new String[scanner.fieldCount()];
            for (int i = 0; i < names.length; i++) {
                String name = field(i);
                names[i] = name == null ? "" : name.strip();
            }
            return List.of(names);
        }
        return List.of();
    }

    /** Why the record's bytes are not UTF-8 (with the line of the first bad byte), or null. */
    private String invalidUtf8() {
        byte[] bytes = scanner.fieldBytes();
        int length = scanner.fieldCount() == 0 ? 0 : scanner.fieldEnd(scanner.fieldCount() - 1);
        int bad = Utf8.firstInvalid(bytes, 0, length);
        if (bad < 0) {
            return null;
        }
        long line = scanner.recordLine(); // line breaks within a record are all inside its field bytes
        for (int i = 0; i < bad; i++) {
            if (bytes[i] == '\n' ? i == 0 || bytes[i - 1] != '\r' : bytes[i] == '\r') {
                line++;
            }
        }
        return RowReaders.notUtf8(line);
    }

    private String field(int i) {
        int start = scanner.fieldStart(i);
        int end = scanner.fieldEnd(i);
        if (start == end) {
            return scanner.fieldQuoted(i) ? "" : null;
        }
        return new String(scanner.fieldBytes(), start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        scanner.close();
    }
}
