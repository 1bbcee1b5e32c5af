package dev.intake.core.format;

import static dev.intake.core.format.Rows.malformed;
import static dev.intake.core.format.Rows.row;
import static dev.intake.core.format.Rows.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLinesRowReaderTest {

    private static List<RawRow> read(String jsonLines) throws IOException {
        return Rows.readAll(DataFormat.JSON_LINES, jsonLines);
    }

    @Test
    void convertsScalarsToJavaValuesInFieldOrder() throws IOException {
        RawRow row = read("{\"s\":\"text\",\"i\":42,\"neg\":-7,\"big\":123456789012345678901234567890,"
                + "\"d\":2.5,\"e\":1e3,\"exact\":3.14159265358979323846264338327950288,\"t\":true,\"f\":false,\"n\":null}\n")
                .get(0);

        assertThat(row.line()).isEqualTo(1);
        assertThat(row.error()).isNull();
        assertThat(row.values().keySet()).containsExactly("s", "i", "neg", "big", "d", "e", "exact", "t", "f", "n");
        assertThat(row.values().get("s")).isEqualTo("text");
        assertThat(row.values().get("i")).isEqualTo(42L);
        assertThat(row.values().get("neg")).isEqualTo(-7L);
        assertThat(row.values().get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(row.values().get("d")).isEqualTo(2.5d);
        assertThat(row.values().get("e")).isEqualTo(1000.0d);
        assertThat(row.values().get("exact")).isEqualTo(new BigDecimal("3.14159265358979323846264338327950288"));
        assertThat(row.values().get("t")).isEqualTo(true);
        assertThat(row.values().get("f")).isEqualTo(false);
        assertThat(row.values()).containsEntry("n", null);
    }

    @Test
    void longBoundariesAndOutOfRangeDecimals() throws IOException {
        RawRow row = read("{\"max\":9223372036854775807,\"over\":9223372036854775808,\"huge\":1e400,\"tiny\":0.1}").get(0);
        assertThat(row.values().get("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(row.values().get("over")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(row.values().get("huge")).isEqualTo(new BigDecimal("1e400"));
        assertThat(row.values().get("tiny")).isEqualTo(0.1d);
    }

    @Test
    void keepsNestedValuesAsJsonNodes() throws IOException {
        RawRow row = read("{\"o\":{\"a\":1},\"arr\":[1,2]}\n").get(0);
        assertThat(row.values().get("o")).isInstanceOfSatisfying(JsonNode.class,
                node -> assertThat(node.get("a").intValue()).isEqualTo(1));
        assertThat(row.values().get("arr")).isInstanceOfSatisfying(JsonNode.class,
                node -> assertThat(node.isArray()).isTrue());
    }

    @Test
    void invalidAndNonObjectLinesAreMalformedRowsAndReadingContinues() throws IOException {
        List<RawRow> rows = read("{\"a\":1}\n{\"a\":\n[1,2]\n42\n\"text\"\nnull\n{\"a\":1} {\"a\":2}\n{\"a\":1,\"a\":2}\n{\"a\":3}\n");

        assertThat(rows).hasSize(9);
        assertThat(rows.get(0)).isEqualTo(row(1, "a", 1L));
        assertThat(rows.get(1).line()).isEqualTo(2);
        assertThat(rows.get(1).error()).startsWith("line is not valid JSON: ");
        assertThat(rows.subList(2, 6)).containsExactly(
                malformed(3, "line is not a JSON object"), malformed(4, "line is not a JSON object"),
                malformed(5, "line is not a JSON object"), malformed(6, "line is not a JSON object"));
        assertThat(rows.get(6).error()).as("trailing content").startsWith("line is not valid JSON: ");
        assertThat(rows.get(7).error()).as("repeated key").isEqualTo("line is not valid JSON: Duplicate field 'a'");
        assertThat(rows.get(8)).isEqualTo(row(9, "a", 3L));
    }

    @Test
    void skipsBlankLinesButCountsThemAndAcceptsCrlf() throws IOException {
        assertThat(read("\n{\"a\":1}\r\n  \r\n\t\n{\"a\":2}\r\n\n")).containsExactly(row(2, "a", 1L), row(5, "a", 2L));
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws IOException {
        assertThat(read("{\"a\":1}\n{\"a\":2}")).containsExactly(row(1, "a", 1L), row(2, "a", 2L));
    }

    @Test
    void bomIsDroppedAtTheStartOfTheFile() throws IOException {
        assertThat(read("\uFEFF{\"a\":1}\n")).containsExactly(row(1, "a", 1L));
    }

    @Test
    void startsAtTheGivenLineAndHasNoHeader() throws IOException {
        try (RowReader reader = RowReaders.open(DataFormat.JSON_LINES, utf8("{\"a\":1}\n\n{\"a\":2}\n"), 100, List.of("ignored"))) {
            assertThat(reader.header()).isEmpty();
            assertThat(Rows.readAll(reader)).containsExactly(row(100, "a", 1L), row(102, "a", 2L));
        }
    }

    @Test
    void oversizeLineIsReportedAndSkipped() throws IOException {
        String huge = "{\"a\":\"" + "x".repeat(RowReaders.MAX_RECORD_CHARS) + "\"}";
        assertThat(read("{\"a\":1}\n" + huge + "\n{\"a\":2}\n")).containsExactly(
                row(1, "a", 1L), malformed(2, "record exceeds 1048576 characters"), row(3, "a", 2L));
    }

    @Test
    void lineOfExactlyTheLimitIsReadWithLfOrCrlf() throws IOException {
        String value = "x".repeat(RowReaders.MAX_RECORD_CHARS - "{\"a\":\"\"}".length());
        String line = "{\"a\":\"" + value + "\"}";
        assertThat(read(line + "\r\n" + line + "\n")).containsExactly(row(1, "a", value), row(2, "a", value));
    }
    @Test
    void aNameRepeatedAmongManyFieldsIsCaughtToo() throws IOException {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            many.append("\"f").append(i).append("\":").append(i).append(',');
        }
        String distinct = many + "\"last\":1}";
        String repeated = many + "\"f35\":1}";
        List<RawRow> rows = read(distinct + "\n" + repeated + "\n");
        assertThat(rows.get(0).values()).hasSize(41).containsEntry("f39", 39L).containsEntry("last", 1L);
        assertThat(rows.get(1)).isEqualTo(malformed(2, "line is not valid JSON: Duplicate field 'f35'"));
    }

    @Test
    void linesLongerThanTheReadBufferKeepTheirLineNumbersAndBytes() throws IOException {
        String big = "x\u00e9".repeat(100_000); // 300,000 bytes: several buffer fills
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 2_000; i++) {
            text.append(i % 500 == 0 ? "{\"a\":\"" + big + "\"}" : "{\"a\":" + i + "}").append(i % 3 == 0 ? "\r\n" : "\n");
        }
        List<RawRow> rows = read(text.toString());
        assertThat(rows).hasSize(2_000);
        for (int i = 1; i <= 2_000; i++) {
            assertThat(rows.get(i - 1)).isEqualTo(i % 500 == 0 ? row(i, "a", big) : row(i, "a", (long) i));
        }
    }

    @Test
    void shortAndLongDecimalsAreTheSameValuesAsTheTreeReaderGives() throws IOException {
        RawRow row = read("{\"a\":-0.0,\"b\":12.50,\"c\":1.5e-7,\"d\":0.1234567890123456789,\"e\":1e-300,"
                + "\"f\":123456789012345.0,\"g\":1234567890123456.7}").get(0);
        assertThat(row.values().get("a")).isEqualTo(0.0d);
        assertThat(row.values().get("b")).isEqualTo(12.5d);
        assertThat(row.values().get("c")).isEqualTo(1.5e-7d);
        assertThat(row.values().get("d")).isEqualTo(new BigDecimal("0.1234567890123456789"));
        assertThat(row.values().get("e")).isEqualTo(1e-300d);
        assertThat(row.values().get("f")).isEqualTo(123456789012345.0d);
        assertThat(row.values().get("g")).isEqualTo(new BigDecimal("1234567890123456.7"));
    }

    @Test
    void aRowIsAReadOnlyMapInFileOrder() throws IOException {
        Map<String, Object> values = read("{\"b\":1,\"a\":\"x\",\"c\":null}").get(0).values();
        assertThat(values).isInstanceOf(RowValues.class).containsExactly(
                Map.entry("b", 1L), Map.entry("a", "x"), new java.util.AbstractMap.SimpleEntry<>("c", null));
        assertThat(values).isEqualTo(new java.util.HashMap<>(values)).hasSameHashCodeAs(new java.util.HashMap<>(values));
        assertThat(values.containsKey("c")).isTrue();
        assertThat(values.containsKey("z")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> values.put("d", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
