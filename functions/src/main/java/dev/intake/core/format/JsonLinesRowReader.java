package dev.intake.core.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one JSON object per LF-terminated line (a trailing CR is dropped).
 *
 * <p>Lines are found on bytes (in UTF-8 a LF byte is always a line feed), checked to be UTF-8, and
 * each parsed with Jackson's streaming parser straight into a {@link RowValues}; a line that is not
 * a single JSON object is parsed again as a tree, only to say what is wrong with it.
 */
final class JsonLinesRowReader implements RowReader {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A repeated key makes the record ambiguous: report it rather than silently keep one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /**
     * A line of more bytes than this has more than {@link RowReaders#MAX_RECORD_CHARS} characters
     * whatever it holds (a character is at most 3 bytes per UTF-16 char): only this much is kept.
     */
    private static final int MAX_LINE_BYTES = 3 * RowReaders.MAX_RECORD_CHARS;
    /**
     * The parser for the lines that are plain objects. It leaves repeated names to the reader, which
     * checks them cheaper for a few fields than Jackson's detector does; other lines go to {@link #MAPPER}.
     */
    private static final JsonFactory STREAMING = new JsonFactory();
    private static final Object NESTED = new Object();

    private final InputStream in;
    private byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean endOfInput;
    private long line;

    /** The line just read: buffer[lineStart, lineEnd), without its line ending. */
    private int lineStart;
    private int lineEnd;
    /** Whether the line just read was longer than {@link #MAX_LINE_BYTES} (and was not kept). */
    private boolean overlong;

    private FieldNames names;
    private static final int FEW_FIELDS = 32;
    private final java.util.Set<String> manyNames = new java.util.HashSet<>();
    private String[] nameScratch = new String[16];
    private Object[] valueScratch = new Object[16];

    JsonLinesRowReader(InputStream in, long firstLine) throws IOException {
        this.in = in;
        this.line = firstLine;
        // Only the file's first chunk starts at line 1, so only there can a BOM be a BOM.
        if (firstLine == 1 && available(3) && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB
                && (buffer[2] & 0xFF) == 0xBF) {
            position = 3;
        }
    }

    @Override
    public List<String> header() {
        return List.of();
    }

    @Override
    public RawRow next() throws IOException {
        while (true) {
            long startLine = line;
            if (!readLine()) {
                return null;
            }
            if (overlong || lineEnd - lineStart > RowReaders.MAX_RECORD_CHARS && utf16Length() > RowReaders.MAX_RECORD_CHARS) {
                return RawRow.malformed(startLine, RowReaders.RECORD_TOO_LONG);
            }
            if (Utf8.firstInvalid(buffer, lineStart, lineEnd) >= 0) {
                return RawRow.malformed(startLine, RowReaders.notUtf8(startLine));
            }
            if (!blank()) {
                return parse(startLine);
            }
        }
    }

    /** Finds the next line; false at the end of the input. */
    private boolean readLine() throws IOException {
        overlong = false;
        int scanFrom = position;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buffer[i] == '\n') {
                    setLine(position, i);
                    position = i + 1;
                    line++;
                    return true;
                }
            }
            if (endOfInput) {
                if (position == limit) {
                    return false;
                }
                setLine(position, limit); // the last line has no line feed
                position = limit;
                return true;
            }
            if (limit - position > MAX_LINE_BYTES) {
                skipRestOfLine();
                return true;
            }
            scanFrom = limit - position; // where the scan goes on, once the line is moved to the start
            fill();
            scanFrom += position;
        }
    }

    private void setLine(int start, int end) {
        lineStart = start;
        lineEnd = end > start && buffer[end - 1] == '\r' ? end - 1 : end; // CRLF: the CR is part of the line ending
    }

    /** An overlong line: its bytes are dropped up to and including its line feed. */
    private void skipRestOfLine() throws IOException {
        overlong = true;
        lineStart = lineEnd = 0;
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    position = i + 1;
                    line++;
                    return;
                }
            }
            position = limit;
            if (endOfInput) {
                return;
            }
            fill();
        }
    }

    /** Moves the current line to the buffer's start (growing it if full) and reads more bytes. */
    private void fill() throws IOException {
        int kept = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, kept);
        } else if (kept == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_LINE_BYTES + 2));
        }
        position = 0;
        limit = kept;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            endOfInput = true;
        } else {
            limit += n;
        }
    }

    private boolean available(int n) throws IOException {
        while (limit - position < n && !endOfInput) {
            fill();
        }
        return limit - position >= n;
    }

    /** The line's length in UTF-16 chars (as the record limit counts), for a line of valid UTF-8 or not. */
    private int utf16Length() {
        int chars = 0;
        for (int i = lineStart; i < lineEnd; i++) {
            int b = buffer[i] & 0xFF;
            if (b < 0x80 || b >= 0xC0) {
                chars += b >= 0xF0 ? 2 : 1;
            }
        }
        return chars;
    }

    /** Only white space, as {@link String#isBlank} sees it. */
    private boolean blank() {
        for (int i = lineStart; i < lineEnd; i++) {
            int b = buffer[i];
            if (b < 0) {
                return new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private RawRow parse(long startLine) {
        try (JsonParser parser = STREAMING.createParser(buffer, lineStart, lineEnd - lineStart)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return explain(startLine);
            }
            int count = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                parser.nextToken();
                if (count == nameScratch.length) {
                    nameScratch = Arrays.copyOf(nameScratch, count * 2);
                    valueScratch = Arrays.copyOf(valueScratch, count * 2);
                }
                if (isRepeated(name, count)) {
                    return explain(startLine);
                }
                nameScratch[count] = name;
                Object value = value(parser);
                if (value == NESTED) {
                    return explain(startLine); // an object or array: the tree reader keeps it whole
                }
                valueScratch[count++] = value;
            }
            if (parser.nextToken() != null) {
                return explain(startLine); // more after the object
            }
            if (names == null || !names.sameAs(nameScratch, count)) {
                names = new FieldNames(nameScratch, count);
            }
            return RawRow.of(startLine, new RowValues(names, Arrays.copyOf(valueScratch, count)));
        } catch (JacksonException e) {
            return explain(startLine);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // parsing bytes in memory does no I/O
        }
    }

    /**
     * Whether an earlier field of the line has this name: by comparing with each for the first few
     * (Jackson gives equal names as one instance, mostly), by a hash set for lines with many.
     */
    private boolean isRepeated(String name, int count) {
        if (count < FEW_FIELDS) {
            for (int i = 0; i < count; i++) {
                if (nameScratch[i] == name || nameScratch[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }
        if (count == FEW_FIELDS) {
            manyNames.clear();
            manyNames.addAll(Arrays.asList(nameScratch).subList(0, count));
        }
        return !manyNames.add(name);
    }

    /** Scalars become Java values; objects and arrays are {@link #NESTED}. */
    private static Object value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> isShortDecimal(parser) ? (Object) (parser.getDoubleValue() + 0.0) // no -0 in decimal
                    : decimal(parser.getDecimalValue());
            default -> NESTED;
        };
    }

    /**
     * What is wrong with a line that is not one JSON object, in the words of Jackson's tree reader
     * (it may yet be one: then it is read that way).
     */
    private RawRow explain(long startLine) {
        String json = new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            return RawRow.malformed(startLine, "line is not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            return RawRow.malformed(startLine, "line is not a JSON object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            values.put(property.getKey(), treeValue(property.getValue()));
        }
        return RawRow.of(startLine, Collections.unmodifiableMap(values));
    }

    private static Object treeValue(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NULL -> null;
            case NUMBER -> node.isIntegralNumber()
                    ? (node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue())
                    : decimal(node.decimalValue());
            default -> node;
        };
    }

    /**
     * Whether a JSON number has at most 15 significant digits and an exponent of at most two digits
     * in at most 24 characters: then it is within the normal range and {@link #decimal} would give
     * its nearest double, so the parser's double is that value without making a BigDecimal first.
     */
    private static boolean isShortDecimal(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (length > 24) {
            return false;
        }
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int significant = 0;
        boolean leading = true;
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c == 'e' || c == 'E') {
                int exponentDigits = offset + length - i - 1;
                if (i + 1 < offset + length && (text[i + 1] == '+' || text[i + 1] == '-')) {
                    exponentDigits--;
                }
                return exponentDigits <= 2 && significant <= 15;
            }
            if (c >= '1' && c <= '9' || c == '0' && !leading) {
                leading = false;
                significant++;
            }
        }
        return significant <= 15;
    }

    /** A Double when it holds the number exactly as written (same digits), else the BigDecimal. */
    private static Object decimal(BigDecimal value) {
        int digitsBeforePoint = value.precision() - value.scale();
        if (value.precision() <= 15 && digitsBeforePoint > -290 && digitsBeforePoint < 300) {
            // Up to 15 significant digits in the normal range, a decimal is the shortest one that
            // rounds to its nearest double: the double holds it exactly as written.
            return value.doubleValue();
        }
        double d = value.doubleValue();
        return Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(value) == 0 ? (Object) d : value;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
