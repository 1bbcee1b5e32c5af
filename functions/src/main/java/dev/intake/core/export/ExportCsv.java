package dev.intake.core.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records as CSV that Intake's CSV import reads back to the same records: a header row of the
 * schema's field names in schema order, then one row per record, each line ending in LF. A value is
 * quoted (RFC 4180: in double quotes, a quote doubled) only when it must be: when it holds a comma,
 * a quote, CR or LF, is empty (an empty string is {@code ""}; an unquoted empty field is no value,
 * i.e. null), or is nothing but spaces and tabs (an unquoted blank line is no row). Numbers and
 * booleans are written as stored (the canonical JSON's text), so they read back to the same values.
 */
public final class ExportCsv {
    private static final JsonFactory JSON = new JsonFactory();

    private final List<String> fields;
    private final StringBuilder out = new StringBuilder();
    private int rows;

    public ExportCsv(List<String> fields) {
        this.fields = List.copyOf(fields);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendValue(fields.get(i));
        }
        out.append('\n');
    }

    /** Appends a record given as its canonical JSON; a field it lacks (added to the schema later) is null. */
    public void add(String canonical) {
        Map<String, String> values = values(canonical);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String value = values.get(fields.get(i));
            if (value != null) {
                appendValue(value);
            }
        }
        out.append('\n');
        rows++;
    }

    public int rows() {
        return rows;
    }

    /** The text's length so far, in characters. */
    public int length() {
        return out.length();
    }

    public String text() {
        return out.toString();
    }

    /** The record's values as text (numbers in their stored form); JSON null is left out. */
    static Map<String, String> values(String canonical) {
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = JSON.createParser(canonical)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("a stored record is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (token) {
                    case VALUE_NULL -> { }
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                            values.put(name, parser.getText());
                    default -> throw new IllegalStateException("a stored record has a nested value in field " + name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored record is not JSON", e);
        }
        return values;
    }

    private void appendValue(String value) {
        if (needsQuotes(value)) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            out.append(value);
        }
    }

    static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        boolean blank = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
            blank &= c == ' ' || c == '\t';
        }
        return blank;
    }
}
