package dev.intake.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader's own reading of plain lines ({@code JsonLinesRowReader.parseFlat}) gives exactly the
 * rows, values (types, scales, signs of zero) and reasons that Jackson's reading gives, on lines
 * made of valid and invalid pieces alike.
 */
class JsonLinesFlatReadingTest {
    private static final String[] NAMES = {
        "\"a\"", "\"b\"", "\"c\"", "\"\"", "\"\u00e9t\u00e9\"", "\"a\\\"q\"", "\"a\\u0062\"", "\"x y\"", "a", "'a'", "\"a",
        "\"" + "n".repeat(1200) + "\"",
    };
    private static final String[] VALUES = {
        "0", "-0", "1", "-1", "42", "01", "-01", "+1", "1.", ".5", "-", "1e5", "1E+05", "1e-7", "1e007", "1.5e-7", "2.50",
        "-0.0", "0.0", "-0.000", "0.1", "0.30000000000000004", "4.35", "1e22", "1e23", "1.7976931348623157e308", "1e309",
        "1e-400", "4.9e-324", "2.2250738585072014E-308", "123456789012345678", "-123456789012345678",
        "1234567890123456789", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "123456789012345.6", "1234567890123456.7", "1.000000000000001", "100000000000000000000.5", "9007199254740993.0",
        "0.1234567890123456789", "1e99", "1e-99", "123456.789e-20", "1.5e99", "5e-324", "1_0", "0x10", "NaN", "Infinity",
        "1a", "1.5f", "true", "false", "null", "TRUE", "truex", "nul", "tru",
        "\"text\"", "\"\"", "\"with, comma\"", "\"5\\\" wide\"", "\"a\\\\b\"", "\"\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\"",
        "\"\\ud800\"", "\"\\uD83D\\uDE00\"", "\"\\u12\"", "\"\\x\"", "\"\u00e9\u20ac\ud83d\ude00\"", "\"tab\there\"",
        "\"unterminated", "\"a\\\"", "{}", "{\"x\":1}", "[]", "[1,2]", "\"12\"", "\"true\"",
    };
    private static final String[] GAPS = {"", "", "", " ", "\t", "  \t", "\r", "\u000b"};

    @Test
    void plainLinesReadAsJacksonReadsThem() throws IOException {
        Random random = new Random(20261129);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        for (int line = 0; line < 30_000; line++) {
            String text = line(random);
            byte[] lineBytes = text.getBytes(StandardCharsets.UTF_8);
            int e = text.indexOf('\u00e9');
            if (e >= 0 && random.nextInt(5) == 0) {
                // Not UTF-8 where the é was: a broken sequence or an overlong form.
                int at = new String(text.substring(0, e)).getBytes(StandardCharsets.UTF_8).length;
                lineBytes[at + 1] = random.nextBoolean() ? (byte) '(' : (byte) 0xC3;
                if (random.nextBoolean()) {
                    lineBytes[at] = (byte) 0xC0;
                    lineBytes[at + 1] = (byte) 0xAF;
                }
            }
            file.writeBytes(lineBytes);
            file.writeBytes((random.nextInt(10) == 0 ? "\r\n" : "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = file.toByteArray();

        List<RawRow> flat = read(bytes, true);
        List<RawRow> jackson = read(bytes, false);

        assertThat(flat).hasSize(jackson.size());
        for (int i = 0; i < flat.size(); i++) {
            assertThat(flat.get(i)).as("row %d", i).isEqualTo(jackson.get(i));
            if (flat.get(i).values() != null) {
                List<Object> types = new ArrayList<>();
                List<Object> expectedTypes = new ArrayList<>();
                flat.get(i).values().values().forEach(v -> types.add(v == null ? null : v.getClass()));
                jackson.get(i).values().values().forEach(v -> expectedTypes.add(v == null ? null : v.getClass()));
                assertThat(types).as("value types of row %d", i).isEqualTo(expectedTypes);
            }
        }
        long readRows = flat.stream().filter(r -> r.error() == null).count();
        assertThat(readRows).as("enough lines are objects to compare").isGreaterThan(3_000);
        assertThat(flat.size() - readRows).as("enough lines fail to compare").isGreaterThan(3_000);
    }

    @Test
    void plainLinesAreReadInOnePassWithoutJackson() throws IOException {
        String lines = "{\"a\":1,\"b\":\"x\",\"c\":2.5}\n{ \"a\" : -3 , \"b\" : \"y\\\"z\" , \"c\" : null } \r\n"
                + "{\"b\":true,\"a\":false}\n{}\n";
        try (JsonLinesRowReader reader = new JsonLinesRowReader(
                new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), 1)) {
            assertThat(Rows.readAll(reader)).hasSize(4);
            assertThat(reader.onePassLines()).isEqualTo(4);
        }
    }

    @Test
    void rowsWithTheSameNamesShareThem() throws IOException {
        List<RawRow> rows = read("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n{\"b\":5,\"a\":6}\n".getBytes(StandardCharsets.UTF_8),
                true);
        assertThat(names(rows.get(1))).isSameAs(names(rows.get(0)));
        assertThat(names(rows.get(2))).isNotSameAs(names(rows.get(1)));
        assertThat(rows.get(2).values().keySet()).containsExactly("b", "a");
    }

    private static FieldNames names(RawRow row) {
        return ((RowValues) row.values()).names();
    }

    private static String line(Random random) {
        if (random.nextInt(50) == 0) {
            return GAPS[random.nextInt(GAPS.length)];
        }
        StringBuilder line = new StringBuilder(gap(random)).append(random.nextInt(40) == 0 ? "[" : "{");
        int fields = random.nextInt(6);
        for (int f = 0; f < fields; f++) {
            line.append(gap(random));
            line.append(random.nextInt(8) == 0 ? NAMES[random.nextInt(NAMES.length)] : NAMES[f % 3]);
            line.append(gap(random)).append(random.nextInt(60) == 0 ? "=" : ":").append(gap(random));
            line.append(VALUES[random.nextInt(VALUES.length)]).append(gap(random));
            if (f < fields - 1 || random.nextInt(40) == 0) {
                line.append(random.nextInt(60) == 0 ? ";" : ",");
            }
        }
        line.append(random.nextInt(40) == 0 ? "" : "}").append(gap(random));
        if (random.nextInt(60) == 0) {
            line.append(random.nextBoolean() ? "{\"a\":1}" : "x");
        }
        return line.toString();
    }

    private static String gap(Random random) {
        return random.nextInt(4) == 0 ? GAPS[random.nextInt(GAPS.length)] : "";
    }

    private static List<RawRow> read(byte[] bytes, boolean flatLines) throws IOException {
        try (RowReader reader = new JsonLinesRowReader(new ByteArrayInputStream(bytes), 1, flatLines)) {
            return Rows.readAll(reader);
        }
    }
}
