package dev.intake.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.format.FieldNames;
import dev.intake.core.format.RowValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The canonical bytes of a record are fixed: they decide UNCHANGED against UPDATED across imports,
 * so they must not depend on the JDK that wrote them nor on the validator's reuse from row to row.
 */
class CanonicalEncodingTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"D","type":["null","double"]},
            {"name":"F","type":["null","float"]},{"name":"I","type":["null","int"]},{"name":"L","type":["null","long"]},
            {"name":"B","type":["null","boolean"]},{"name":"S","type":["null","string"]}]}""", List.of("ID"));

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * Doubles whose {@code Double.toString} differs between JDK 17 and JDK 19+ (checked by running
     * both): the canonical form is the shortest one, JDK 21's, whichever JDK writes it.
     */
    @ParameterizedTest
    @CsvSource({
            "1.0E23, 1.0E23",           // JDK 17: 9.999999999999999E22
            "7.6E22, 7.6E22",           // JDK 17: 7.600000000000001E22
            "8.41E21, 8.41E21",         // JDK 17: 8.409999999999999E21
            "-2.681447534367114E18, -2.681447534367114E18",  // JDK 17: -2.6814475343671142E18
            "2.0037948894976604E18, 2.0037948894976604E18",  // JDK 17: 2.00379488949766042E18
            "7.10181282349502E17, 7.10181282349502E17",      // JDK 17: 7.1018128234950195E17
            "2.0E-3, 0.002",
            "9.007199254740993E15, 9.007199254740992E15",   // the nearest double
            "1.0E-5, 1.0E-5",
            "100, 100.0",
            "-0.0, 0.0",                // a decimal has no negative zero
            "4.9E-324, 4.9E-324",
            "1.7976931348623157E308, 1.7976931348623157E308",
    })
    void doublesAreWrittenInTheirShortestFormOnEveryJdk(String given, String written) {
        ValidRecord fromText = SCHEMA.validate(row("ID", "a", "D", given));
        ValidRecord fromJson = SCHEMA.validate(row("ID", "a", "D", Double.parseDouble(given)));
        String expected = "{\"ID\":\"a\",\"D\":" + written + ",\"F\":null,\"I\":null,\"L\":null,\"B\":null,\"S\":null}";
        assertThat(fromText.canonical()).isEqualTo(expected);
        assertThat(fromJson.canonical()).isEqualTo(expected);
    }

    @Test
    void aRecordHasFixedBytesAndTheirDigestAsHash() throws Exception {
        ValidRecord r = SCHEMA.validate(row("ID", "k\u00e9y \uD83D\uDE00", "D", "1e23", "F", "0.1", "I", " -42\t",
                "L", "9223372036854775807", "B", "TRUE", "S", "tab\t, quote \" backslash \\ ctl \u0001 \u2028"));
        String expected = "{\"ID\":\"k\u00e9y \uD83D\uDE00\",\"D\":1.0E23,\"F\":0.1,\"I\":-42,\"L\":9223372036854775807,"
                + "\"B\":true,\"S\":\"tab\\t, quote \\\" backslash \\\\ ctl \\u0001 \u2028\"}";
        assertThat(r.canonical()).isEqualTo(expected);
        byte[] bytes = expected.getBytes(StandardCharsets.UTF_8);
        assertThat(r.bytes()).isEqualTo(bytes.length);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        assertThat(r.hash()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)))
                .isEqualTo("5ekPAx0mo87jQmEPUF_13w");
    }

    @Test
    void aLoneSurrogateFromAJsonEscapeIsWrittenAsAnEscapeSoTwoStringsNeverShareABody() {
        ValidRecord high = SCHEMA.validate(row("ID", "a", "S", "x\uD800"));
        ValidRecord low = SCHEMA.validate(row("ID", "a", "S", "x\uDC00"));
        assertThat(high.canonical()).endsWith("\"S\":\"x\\uD800\"}");
        assertThat(low.canonical()).endsWith("\"S\":\"x\\uDC00\"}");
        assertThat(high.hash()).isNotEqualTo(low.hash());
    }

    @Test
    void oneValidatorGivesEveryRowWhatAFreshOneGivesWhateverCameBefore() {
        RowValidator reused = SCHEMA.validator(null);
        FieldNames names = new FieldNames(List.of("ID", "D", "I", "S"));
        List<Map<String, Object>> rows = List.of(
                new RowValues(names, new Object[] {"a", "1.5", "7", "x"}),
                new RowValues(names, new Object[] {"b", "oops", "7", "x"}),
                row("ID", "c", "S", "y".repeat(300_000)),
                new RowValues(names, new Object[] {"d", "2", "8", null}),
                row("ID", "e", "NOPE", "1"),
                new RowValues(new FieldNames(List.of("S", "ID")), new Object[] {"z", "f"}),
                new RowValues(names, new Object[] {"g", "-0", "-0", ""}));
        for (Map<String, Object> raw : rows) {
            Object expected;
            try {
                expected = SCHEMA.validate(raw);
            } catch (InvalidRowException e) {
                expected = e.getMessage();
            }
            Object actual;
            try {
                actual = reused.validate(raw);
            } catch (InvalidRowException e) {
                actual = e.getMessage();
            }
            assertThat(actual).as(raw.toString().substring(0, Math.min(80, raw.toString().length()))).isEqualTo(expected);
        }
        assertThat(reused.validate(rows.get(6)).canonical())
                .isEqualTo("{\"ID\":\"g\",\"D\":0.0,\"F\":null,\"I\":0,\"L\":null,\"B\":null,\"S\":\"\"}");
    }

    @Test
    void aRowOfArraysNamingAFieldOutsideTheSchemaFailsLikeAMapDoes() {
        RowValues row = new RowValues(new FieldNames(List.of("ID", "EXTRA")), new Object[] {"a", "1"});
        assertThatThrownBy(() -> SCHEMA.validator(null).validate(row)).isInstanceOf(InvalidRowException.class)
                .hasMessage("field 'EXTRA' is not in the schema");
        assertThatThrownBy(() -> SCHEMA.validate(row("ID", "a", "EXTRA", "1"))).hasMessage("field 'EXTRA' is not in the schema");
    }

    /**
     * The hand-written encoder gives the generator's bytes for every char, number and value kind:
     * each BMP char alone and amid ASCII, random strings, doubles from random bits and the special
     * ones, integers at their limits (a surrogate or a big number takes the generator's path itself).
     */
    @Test
    void theHandWrittenEncodingIsByteForByteTheGenerators() {
        List<SchemaField> fields = SCHEMA.fields();
        CanonicalJson direct = new CanonicalJson(fields);
        CanonicalJson generator = new CanonicalJson(fields);
        java.util.Random random = new java.util.Random(11);
        List<Object[]> records = new java.util.ArrayList<>();
        for (char c = 0; c < 0xFFFF; c++) {
            records.add(new Object[] {String.valueOf(c), null, null, null, null, null, "ab" + c + "cd"});
        }
        for (int i = 0; i < 20_000; i++) {
            char[] text = new char[random.nextInt(40)];
            for (int j = 0; j < text.length; j++) {
                text[j] = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
            }
            long bits = random.nextLong();
            records.add(new Object[] {new String(text), Double.longBitsToDouble(bits), (double) (float) random.nextGaussian(),
                    random.nextInt(), bits, random.nextBoolean(), "y".repeat(random.nextInt(3000))});
        }
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, 1.0E23, 1e-7, 1e7, 123456789.125}) {
            records.add(new Object[] {"k", d, null, Integer.MIN_VALUE, Long.MIN_VALUE, false, ""});
        }
        records.add(new Object[] {"k", null, null, Integer.MAX_VALUE, Long.MAX_VALUE, true, "x\uD83D\uDE00"});
        records.add(new Object[] {"k", null, null, null, new java.math.BigInteger("123456789012345678901234567890"),
                null, null});
        records.add(new Object[] {"k", new java.math.BigDecimal("1.50E+3"), null, null, null, null, null});
        for (Object[] record : records) {
            direct.write(record);
            generator.writeWithGenerator(record);
            assertThat(Arrays.copyOf(direct.bytes(), direct.length()))
                    .as(Arrays.toString(record).substring(0, Math.min(80, Arrays.toString(record).length())))
                    .isEqualTo(Arrays.copyOf(generator.bytes(), generator.length()));
        }
    }
}
