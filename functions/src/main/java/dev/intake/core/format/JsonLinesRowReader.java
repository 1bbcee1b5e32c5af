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

    /** Whether plain lines are read by {@link #parseFlat} (tests compare it with Jackson's reading). */
    private final boolean flatLines;

    JsonLinesRowReader(InputStream in, long firstLine) throws IOException {
        this(in, firstLine, true);
    }

    JsonLinesRowReader(InputStream in, long firstLine, boolean flatLines) throws IOException {
        this.in = in;
        this.flatLines = flatLines;
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
            if (flatLines) {
                RawRow row = flatLineInBuffer(startLine);
                if (row != null) {
                    return row;
                }
            }
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
        if (flatLines) {
            nonAscii = false;
            if (parseFlat(lineStart, lineEnd) == lineEnd) {
                return flatRow(startLine);
            }
        }
        return parseWithJackson(startLine);
    }

    /**
     * The next line, if {@link #parseFlat} reads it straight from the buffered bytes, without
     * finding its end first (it ends right after the object): the common line in one pass. Null,
     * having consumed nothing, for anything else (a blank line, a line not all buffered yet, one too
     * long, one that is not UTF-8...), which {@link #next} then reads line by line.
     */
    private RawRow flatLineInBuffer(long startLine) {
        nonAscii = false;
        int after = parseFlat(position, limit);
        if (after < 0) {
            return null;
        }
        int end = after < limit && buffer[after] == '\r' ? after + 1 : after;
        if (end >= limit || buffer[end] != '\n' || after - position > RowReaders.MAX_RECORD_CHARS
                || nonAscii && Utf8.firstInvalid(buffer, position, after) >= 0) {
            return null;
        }
        position = end + 1;
        line++;
        onePassLines++;
        return flatRow(startLine);
    }

    private RawRow parseWithJackson(long startLine) {
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
                }
                if (count == valueScratch.length) {
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

    /**
     * Reads one object of scalars written plainly (names without escapes, spaces and tabs between
     * tokens, integers of up to 18 digits, decimals {@link #isShortDecimal} takes) from
     * {@code buffer[from, end)} on its bytes, without a parser per line: the same values Jackson
     * gives such a line (see {@link #flatRow}). Returns where the object and the spaces after it
     * end; -1 for anything else (an error too), which Jackson then reads, so that every other line
     * reads and fails as before.
     */
    private int parseFlat(int from, int end) {
        byte[] b = buffer;
        int i = skipSpaces(b, from, end);
        if (i >= end || b[i] != '{') {
            return -1;
        }
        i = skipSpaces(b, i + 1, end);
        FieldNames expected = names;
        boolean sameNames = expected != null;
        Object[] values = new Object[sameNames ? expected.size() : 8];
        int count = 0;
        if (i < end && b[i] == '}') {
            i++;
        } else {
            while (true) {
                if (i >= end || b[i] != '"') {
                    return -1;
                }
                int nameStart = i + 1;
                int nameEnd = plainStringEnd(b, nameStart, end);
                if (nameEnd < 0 || nameEnd - nameStart > LONG_NAME_BYTES) {
                    return -1;
                }
                String name;
                if (sameNames && count < expected.size() && expected.nameIs(count, b, nameStart, nameEnd)) {
                    name = expected.name(count);
                } else {
                    if (sameNames && count > FEW_FIELDS) {
                        return -1; // isRepeated needs every name from the first few on
                    }
                    sameNames = false;
                    name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
                }
                if (count == nameScratch.length) {
                    nameScratch = Arrays.copyOf(nameScratch, count * 2);
                }
                // Names matched to the previous line's are distinct already (its were checked).
                if (!sameNames && isRepeated(name, count)) {
                    return -1;
                }
                nameScratch[count] = name;
                i = skipSpaces(b, nameEnd + 1, end);
                if (i >= end || b[i] != ':') {
                    return -1;
                }
                i = skipSpaces(b, i + 1, end);
                if (i >= end) {
                    return -1;
                }
                int valueEnd = scalar(b, i, end);
                if (valueEnd < 0) {
                    return -1;
                }
                if (count == values.length) {
                    values = Arrays.copyOf(values, Math.max(8, count * 2));
                }
                values[count++] = scalar;
                i = skipSpaces(b, valueEnd, end);
                if (i >= end) {
                    return -1;
                }
                if (b[i] == '}') {
                    i++;
                    break;
                }
                if (b[i] != ',') {
                    return -1;
                }
                i = skipSpaces(b, i + 1, end);
            }
        }
        flatValues = values;
        flatCount = count;
        flatSameNames = sameNames && count == expected.size();
        return skipSpaces(b, i, end);
    }

    // What parseFlat read last, made a row by flatRow once the line is known to end after it.
    private Object[] flatValues;
    private int flatCount;
    private boolean flatSameNames;
    /** Whether parseFlat met a byte that is not ASCII (only in strings) since this was last cleared. */
    private boolean nonAscii;

    private RawRow flatRow(long startLine) {
        if (!flatSameNames) {
            names = new FieldNames(nameScratch, flatCount);
        }
        Object[] values = flatValues;
        return RawRow.of(startLine, new RowValues(names, values.length == flatCount ? values : Arrays.copyOf(values, flatCount)));
    }

    private long onePassLines;

    /** How many lines {@link #flatLineInBuffer} read in one pass (the rest were found first, then read). */
    long onePassLines() {
        return onePassLines;
    }

    /** Names longer than this are left to Jackson, which has its own limit on them (and words it). */
    private static final int LONG_NAME_BYTES = 1000;

    /** The value {@link #scalar} read last. */
    private Object scalar;

    /**
     * Reads the scalar at {@code b[i]} into {@link #scalar}; returns where it ends, or -1 for what
     * {@link #parseFlat} leaves to Jackson. A value must be followed by a space, a tab, a comma or a
     * closing brace (Jackson refuses {@code truex} and {@code 1a}).
     */
    private int scalar(byte[] b, int i, int end) {
        byte c = b[i];
        int after;
        if (c == '"') {
            after = string(b, i + 1, end);
        } else if (c == 't' && literal(b, i, end, TRUE)) {
            scalar = Boolean.TRUE;
            after = i + 4;
        } else if (c == 'f' && literal(b, i, end, FALSE)) {
            scalar = Boolean.FALSE;
            after = i + 5;
        } else if (c == 'n' && literal(b, i, end, NULL)) {
            scalar = null;
            after = i + 4;
        } else if (c == '-' || c >= '0' && c <= '9') {
            after = number(b, i, end);
        } else {
            return -1;
        }
        if (after < 0 || after < end && !endsValue(b[after])) {
            return -1;
        }
        return after;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private static boolean literal(byte[] b, int i, int end, byte[] word) {
        return end - i >= word.length && Arrays.equals(b, i, i + word.length, word, 0, word.length);
    }

    private static boolean endsValue(byte c) {
        return c == ',' || c == '}' || c == ' ' || c == '\t';
    }

    private static int skipSpaces(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Where the string starting at {@code from} (after its quote) ends (its closing quote), if it has
     * no escape and no control character (which Jackson refuses unescaped); else -1.
     */
    private int plainStringEnd(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            byte c = b[i];
            if (c < 0x20) {
                if (c >= 0) {
                    return -1;
                }
                nonAscii = true;
            } else if (c == '"') {
                return i;
            } else if (c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private final StringBuilder unescaped = new StringBuilder();

    /** A string value (the line is valid UTF-8 already); returns the index after its closing quote, or -1. */
    private int string(byte[] b, int from, int end) {
        int close = plainStringEnd(b, from, end);
        if (close >= 0) {
            scalar = new String(b, from, close - from, StandardCharsets.UTF_8);
            return close + 1;
        }
        // Escapes, as Jackson reads them; a control character or a bad escape is Jackson's to word.
        StringBuilder text = unescaped;
        text.setLength(0);
        int run = from;
        for (int i = from; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                text.append(new String(b, run, i - run, StandardCharsets.UTF_8));
                scalar = text.toString();
                return i + 1;
            }
            if (c < 0x20) {
                if (c >= 0) {
                    return -1;
                }
                nonAscii = true;
            }
            if (c != '\\') {
                continue;
            }
            text.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            if (++i >= end) {
                return -1;
            }
            switch (b[i]) {
                case '"' -> text.append('"');
                case '\\' -> text.append('\\');
                case '/' -> text.append('/');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (end - i <= 4) {
                        return -1;
                    }
                    int unit = 0;
                    for (int k = 1; k <= 4; k++) {
                        int digit = Character.digit(b[i + k], 16);
                        if (digit < 0) {
                            return -1;
                        }
                        unit = unit << 4 | digit;
                    }
                    text.append((char) unit);
                    i += 4;
                }
                default -> {
                    return -1;
                }
            }
            run = i + 1;
        }
        return -1;
    }

    /**
     * A number in JSON's grammar: an integer of up to 18 digits as a Long, a decimal that
     * {@link #isShortDecimal} takes as its nearest double, as Jackson's path gives them; -1 for the
     * rest (longer integers, long decimals, and what is not JSON: {@code 01}, {@code 1.}, {@code -}).
     */
    private int number(byte[] b, int start, int end) {
        int i = start;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            return -1;
        }
        long mantissa = 0;
        int digits = 0; // significant digits, counted as isShortDecimal counts them
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                if (++digits > 18) {
                    return -1;
                }
                mantissa = mantissa * 10 + (b[i++] - '0');
            }
        } else {
            return -1;
        }
        boolean decimal = false;
        int fractionDigits = 0;
        if (i < end && b[i] == '.') {
            decimal = true;
            int fractionStart = ++i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                if (digits > 0 || b[i] != '0') {
                    if (++digits > ShortDecimals.MAX_DIGITS) {
                        return -1;
                    }
                }
                mantissa = mantissa * 10 + (b[i++] - '0');
                fractionDigits++;
            }
            if (i == fractionStart) {
                return -1;
            }
        }
        int exponent = 0;
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            decimal = true;
            i++;
            boolean negativeExponent = i < end && b[i] == '-';
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            int exponentStart = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                exponent = exponent * 10 + (b[i++] - '0');
            }
            if (i == exponentStart || i - exponentStart > 2) {
                return -1;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (!decimal) {
            scalar = negative ? -mantissa : mantissa;
            return i;
        }
        if (digits > ShortDecimals.MAX_DIGITS || i - start > 24) {
            return -1;
        }
        int power = exponent - fractionDigits;
        double value = ShortDecimals.value(mantissa, power); // digits <= 15: NaN only for a far exponent
        if (Double.isNaN(value)) {
            value = Double.parseDouble(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        }
        scalar = (negative && value > 0 ? -value : value) + 0.0; // no -0 in decimal
        return i;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
