package dev.intake.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each fast path of validation and encoding gives exactly the value or bytes of the general path it
 * stands in for, and is taken where it should be (so a fast path that silently stopped applying
 * fails here too).
 */
class CanonicalFastPathsTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"D","type":["null","double"]},
            {"name":"F","type":["null","float"]},{"name":"I","type":["null","int"]},{"name":"L","type":["null","long"]},
            {"name":"B","type":["null","boolean"]},{"name":"S","type":["null","string"]}]}""", List.of("ID"));

    /** Values around every edge of the plain-notation fast path, and the ones JDKs disagree on. */
    private static final double[] EDGES = {
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        Double.MIN_NORMAL, Double.MAX_VALUE, 4.9E-324, 2.2250738585072014E-308, 1.0E23, 7.6E22, 8.41E21,
        9007199254740992.0, 9007199254740993.0, 9007199254740991.0, 0x1p52, 0x1p53 + 2,
        0.001, Math.nextDown(0.001), Math.nextUp(0.001), -0.001, 0.0015, 0.00999999999999999,
        1e7, Math.nextDown(1e7), Math.nextUp(1e7), 9999999.999999998, 9999999.5, -1e7, 1e-7, 1e-3 * 7,
        0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 100.0, 1.0, -1.0, 12345.67, 99999.99, 5e-3,
        123456789012345.0, 1234567.890123456, 0.123456789012345, 0.1234567890123456, 1.7976931348623157E308,
    };

    @Test
    void plainDoublesAreWrittenByteForByteAsSchubfachWritesThem() {
        Random random = new Random(7);
        List<Double> values = new ArrayList<>();
        for (double d : EDGES) {
            values.add(d);
            values.add(-d);
        }
        for (int i = 0; i < 300_000; i++) {
            // Short decimals of every length and scale the fast path takes, and their neighbours.
            long m = Math.floorMod(random.nextLong(), (long) Math.pow(10, 1 + random.nextInt(15)));
            double d = m / Math.pow(10, random.nextInt(20));
            values.add(d);
            values.add(Math.nextUp(d));
            values.add(Double.longBitsToDouble(random.nextLong()));
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(12) - 4));
            values.add((double) (float) random.nextGaussian()); // float-valued doubles, 17 digits
        }
        byte[] out = new byte[ShortDoubles.MAX_PLAIN_CHARS + 3];
        int fast = 0;
        for (double v : values) {
            String schubfach = NumberOutput.toString(v, true);
            int end = ShortDoubles.writePlain(v, out, 3);
            if (end >= 0) {
                fast++;
                assertThat(new String(out, 3, end - 3, StandardCharsets.US_ASCII)).as("%s", schubfach).isEqualTo(schubfach);
            }
        }
        assertThat(fast).isGreaterThan(values.size() / 20); // one in five values is a short decimal
    }

    @Test
    void shortDecimalsTakeThePlainPathAndOthersAreLeftToSchubfach() {
        byte[] out = new byte[ShortDoubles.MAX_PLAIN_CHARS];
        for (double v : new double[] {12345.67, -12345.67, 0.001, 9999999.5, 100.0, 0.1, 0.3, 1234567.89012345,
                0.00123456789012345}) {
            int end = ShortDoubles.writePlain(v, out, 0);
            assertThat(end).as("%s", v).isPositive();
            assertThat(new String(out, 0, end, StandardCharsets.US_ASCII)).isEqualTo(NumberOutput.toString(v, true));
        }
        // E notation, zeros, 16 and 17 significant digits, not finite.
        for (double v : new double[] {1e7, Math.nextDown(0.001), 0.0, -0.0, 0.1 + 0.2, 1.0 / 3, Double.NaN,
                Double.NEGATIVE_INFINITY, 1.0E23}) {
            assertThat(ShortDoubles.writePlain(v, out, 0)).as("%s", v).isEqualTo(-1);
        }
    }

    @Test
    void aShortDecimalIsReadAsTheNearestDoubleByOneOperation() {
        Random random = new Random(3);
        for (int i = 0; i < 500_000; i++) {
            long m = random.nextLong() >>> (15 + random.nextInt(49)); // below 2^49 < 10^15
            int e = random.nextInt(45) - 22;
            assertThat(ShortDoubles.value(m, e)).as("%de%d", m, e).isEqualTo(Double.parseDouble(m + "e" + e));
        }
        assertThat(ShortDoubles.value(999_999_999_999_999L, -22)).isEqualTo(999_999_999_999_999e-22);
        assertThat(ShortDoubles.value(999_999_999_999_999L, 22)).isEqualTo(999_999_999_999_999e22);
        assertThat(ShortDoubles.value(1_000_000_000_000_000L, 0)).isNaN();
        assertThat(ShortDoubles.value(1, 23)).isNaN();
        assertThat(ShortDoubles.value(1, -23)).isNaN();
    }

    /**
     * Number text of a double or float field gives what parsing the whole text gives (the general
     * path), with every kind of digits, exponent and blank around, whether or not it is short.
     */
    @Test
    void decimalTextIsReadAsTheGeneralParserReadsIt() {
        Random random = new Random(5);
        List<String> texts = new ArrayList<>(List.of("0", "-0", "0.0", "-0.000", "0e5", "0.000e-999", "1", "-1", "1.5",
                "12345.67", "0.001", "100", "1e22", "1e23", "1e-22", "1e-23", "999999999999999", "9999999999999999",
                "999999999999999e22", "999999999999999e-22", "1234567890123456", "0.1234567890123456", "1.000000000000000000",
                "00.5", "1.", ".5", "+1", "1e", "1e1000", "1e-999", "4.9e-324", "2e-324", "3.4028235e38", "3.5e38", "1e-45",
                "1e-46", "1.7976931348623157e308", "1.8e308", " 2.5\t", "\t-7e3 ", "1E+2", "1e+02", "1x", "- 1", "1.5.5"));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder t = new StringBuilder();
            if (random.nextBoolean()) {
                t.append('-');
            }
            int whole = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
            t.append(whole == 0 ? "0" : Long.toString(1 + (random.nextLong() >>> 1) % 9L)).append(digits(random, whole - 1));
            if (random.nextBoolean()) {
                t.append('.').append(random.nextInt(3) == 0 ? "000" : "").append(digits(random, 1 + random.nextInt(12)));
            }
            if (random.nextInt(3) == 0) {
                t.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "-" : random.nextBoolean() ? "+" : "")
                        .append(random.nextInt(random.nextBoolean() ? 30 : 400));
            }
            texts.add(t.toString());
        }
        int fast = 0;
        for (String text : texts) {
            for (boolean isDouble : new boolean[] {true, false}) {
                assertThat(RecordSchema.decimal(text, isDouble)).as("%s as %s", text, isDouble ? "double" : "float")
                        .isEqualTo(byParsing(text, isDouble));
            }
            fast += isShort(text.strip()) ? 1 : 0;
        }
        assertThat(fast).isGreaterThan(texts.size() / 2);
    }

    /** The general path's answer: the grammar by BigDecimal, the value by Double.parseDouble. */
    private static Object byParsing(String text, boolean isDouble) {
        String t = text.strip();
        if (!t.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]{1,3})?")) {
            return null;
        }
        boolean zero = new BigDecimal(t).signum() == 0;
        double d = Double.parseDouble(t);
        float f = Float.parseFloat(t);
        boolean fits = isDouble ? Double.isFinite(d) && (d != 0 || zero) : Float.isFinite(f) && (f != 0 || zero);
        return fits ? (Object) (d == 0 ? 0.0 : d) : null;
    }

    /** Whether the fast path applies: at most 15 significant digits and a power of ten within 10^±22. */
    private static boolean isShort(String t) {
        if (!t.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]{1,3})?")) {
            return false;
        }
        BigDecimal d = new BigDecimal(t);
        if (d.signum() == 0) {
            return true;
        }
        BigDecimal digits = new BigDecimal(t.replaceAll("[eE].*", ""));
        int exponent = t.matches(".*[eE].*") ? Integer.parseInt(t.replaceAll(".*[eE]\\+?", "")) : 0;
        return digits.unscaledValue().abs().toString().replaceFirst("^0+", "").length() <= 15
                && Math.abs(exponent - digits.scale()) <= 22;
    }

    private static String digits(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    /** Strings longer than the kept char buffer, and escapes after a long plain run, as the generator writes them. */
    @Test
    void longStringsAndLateEscapesAreWrittenAsTheGeneratorWritesThem() {
        CanonicalJson direct = new CanonicalJson(SCHEMA.fields());
        CanonicalJson generator = new CanonicalJson(SCHEMA.fields());
        Random random = new Random(13);
        for (String s : List.of("a".repeat(4095) + "\"", "b".repeat(4096), "c".repeat(5000) + "\u00e9\n\u20ac",
                "\u00e9".repeat(4097), "x".repeat(100) + "\u0001", "\"" + "y".repeat(20_000), "", "plain")) {
            Object[] record = {s, 0.5, null, 1, 2L, true, s};
            direct.write(record);
            generator.writeWithGenerator(record);
            assertThat(Arrays.copyOf(direct.bytes(), direct.length())).isEqualTo(Arrays.copyOf(generator.bytes(), generator.length()));
        }
        for (int i = 0; i < 20_000; i++) {
            long m = random.nextLong() >>> (1 + random.nextInt(63));
            Object[] record = {"k", (double) m / Math.pow(10, random.nextInt(20)), null, null, null, null, null};
            direct.write(record);
            generator.writeWithGenerator(record);
            assertThat(Arrays.copyOf(direct.bytes(), direct.length())).isEqualTo(Arrays.copyOf(generator.bytes(), generator.length()));
        }
    }

    /** A boolean spelt exactly is matched at once; every other spelling still by the general rules. */
    @Test
    void booleansSpeltExactlyOrNotGiveTheSameValue() {
        SchemaField b = SCHEMA.field("B");
        assertThat(RecordSchema.convert(b, "true")).isEqualTo(true);
        assertThat(RecordSchema.convert(b, "false")).isEqualTo(false);
        assertThat(RecordSchema.convert(b, " TRUE\t")).isEqualTo(true);
        assertThat(RecordSchema.convert(b, "False")).isEqualTo(false);
        assertThat(RecordSchema.convert(b, "")).isNull();
    }

    /** The hash is the first 16 bytes of the canonical bytes' SHA-256 in unpadded URL-safe Base64. */
    @Test
    void theHashIsTheDigestsBase64AsTheJdkEncoderWritesIt() throws Exception {
        RowValidator validator = SCHEMA.validator(null);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ID", "id-" + i);
            row.put("S", "text " + i * 7919);
            ValidRecord r = validator.validate(row);
            byte[] digest = sha256.digest(r.canonical().getBytes(StandardCharsets.UTF_8));
            assertThat(r.hash()).isEqualTo(base64.encodeToString(Arrays.copyOf(digest, 16)));
        }
    }
}
