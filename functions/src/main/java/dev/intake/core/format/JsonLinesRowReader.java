package dev.intake.core.format;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Lines: one JSON object per LF-terminated line (a trailing CR is dropped). */
final class JsonLinesRowReader implements RowReader {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A repeated key makes the record ambiguous: report it rather than silently keep one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final CharCursor input;
    private final StringBuilder text = new StringBuilder();
    private long line;
    /** Whether the line just read holds bytes that are not UTF-8. */
    private boolean invalid;

    JsonLinesRowReader(InputStream in, long firstLine) throws IOException {
        this.input = new CharCursor(in);
        this.line = firstLine;
        // Only the file's first chunk starts at line 1, so only there can a BOM be a BOM.
        if (firstLine == 1 && input.peek() == '\uFEFF') {
            input.read();
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
            int lineChars = readLine();
            if (lineChars < 0) {
                return null;
            }
            if (lineChars > RowReaders.MAX_RECORD_CHARS) {
                return RawRow.malformed(startLine, RowReaders.RECORD_TOO_LONG);
            }
            if (invalid) {
                return RawRow.malformed(startLine, RowReaders.notUtf8(startLine));
            }
            String json = text.toString();
            if (!json.isBlank()) {
                return parse(startLine, json);
            }
        }
    }

    /** Reads one line into {@link #text} (keeping at most the length limit); its length, or -1 at the end. */
    private int readLine() throws IOException {
        text.setLength(0);
        invalid = false;
        int c = input.read();
        if (c == -1) {
            return -1;
        }
        int lineChars = 0;
        int previous = -1;
        for (; c != -1 && c != '\n'; previous = c, c = input.read()) {
            if (c == CharCursor.INVALID) {
                invalid = true;
                c = '\uFFFD'; // keeps the line's length right; the line fails
            }
            if (++lineChars <= RowReaders.MAX_RECORD_CHARS) {
                text.append((char) c);
            }
        }
        if (c == '\n') {
            line++;
        }
        if (previous == '\r') { // CRLF: the CR is part of the line ending
            lineChars--;
            if (text.length() == lineChars + 1) {
                text.setLength(lineChars);
            }
        }
        return lineChars;
    }

    private static RawRow parse(long line, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            return RawRow.malformed(line, "line is not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            return RawRow.malformed(line, "line is not a JSON object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            values.put(property.getKey(), toValue(property.getValue()));
        }
        return RawRow.of(line, Collections.unmodifiableMap(values));
    }

    /** Scalars become Java values; objects and arrays stay JsonNodes for the validator to reject. */
    private static Object toValue(JsonNode node) {
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

    /** A Double when it holds the number exactly as written (same digits), else the BigDecimal. */
    private static Object decimal(BigDecimal value) {
        double d = value.doubleValue();
        return Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(value) == 0 ? (Object) d : value;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
