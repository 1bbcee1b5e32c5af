package dev.intake.core.format;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: read rows and build expected ones. */
final class Rows {
    private Rows() {
    }

    static List<RawRow> readAll(RowReader reader) throws IOException {
        List<RawRow> rows = new ArrayList<>();
        for (RawRow row = reader.next(); row != null; row = reader.next()) {
            rows.add(row);
        }
        return rows;
    }

    static List<RawRow> readAll(DataFormat format, String text) throws IOException {
        try (RowReader reader = RowReaders.open(format, utf8(text), 1, null)) {
            return readAll(reader);
        }
    }

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A row from alternating names and values. */
    static RawRow row(long line, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new RawRow(line, values, null);
    }

    static RawRow malformed(long line, String error) {
        return new RawRow(line, null, error);
    }
}
