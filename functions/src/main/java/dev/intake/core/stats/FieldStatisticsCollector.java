package dev.intake.core.stats;

import dev.intake.core.schema.RecordSchema;
import dev.intake.core.schema.SchemaField;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

/**
 * Counts the statistics of every schema field over the rows of one chunk run, as they are
 * validated: every row that passed validation counts, including a row a later row of the same key
 * replaced (skipped) and an unchanged one. So a chunk's statistics depend on its bytes alone, and
 * a retried or recounted chunk has the same ones.
 */
public final class FieldStatisticsCollector {
    /** What a chunk's sketches may take of its stored result (DynamoDB items hold 400 KB). */
    static final int SKETCH_BUDGET_BYTES = 160 * 1024;
    /** The sketch size for narrow schemas: relative standard error about 1.6%. */
    static final int MAX_LG_K = 12;
    static final int MIN_LG_K = 4;
    /** What an empty string is counted as: no string's UTF-8 bytes (the sketch ignores empty input). */
    private static final byte[] EMPTY_STRING = {(byte) 0xFF};

    /**
     * ASCII strings up to this length are hashed from a reused array of their exact length (the
     * sketch hashes a whole array; a ByteBuffer goes through the slower Memory layer).
     */
    static final int MAX_REUSED_ASCII = 256;

    private final Field[] fields;
    /** By length: arrays to put an ASCII string's bytes in, made when first needed, shared by all fields. */
    private final byte[][] asciiByLength = new byte[MAX_REUSED_ASCII + 1][];

    /**
     * @param timestampFields the fields the import reads as timestamps (its rule's), whose Min and
     *                        Max are instants; the stored values are in the rule's format, or ISO-8601 UTC
     * @param timestampPattern the rule's format (for values in neither of the usual forms; formats
     *                         separated by {@code |} are tried in turn), or null
     */
    public FieldStatisticsCollector(RecordSchema schema, Set<String> timestampFields, String timestampPattern) {
        int lgK = DistinctSketches.AVAILABLE ? lgK(schema.fields().size()) : MIN_LG_K;
        // a rule may give several formats separated by '|' (Lookout's): a value is read by the first that reads it
        List<DateTimeFormatter> pattern = timestampPattern == null ? List.of()
                : java.util.Arrays.stream(timestampPattern.split("\\|")).map(p -> DateTimeFormatter.ofPattern(p.replace('y', 'u'))
                        .withResolverStyle(ResolverStyle.STRICT)).toList();
        int slots = RecentValues.slotsFor(schema.fields().size());
        this.fields = schema.fields().stream()
                .map(f -> new Field(f, FieldKind.of(f, timestampFields), lgK, pattern, slots, asciiByLength))
                .toArray(Field[]::new);
    }

    /** The sketch size that keeps a chunk's sketches within the budget, however many fields the schema has. */
    static int lgK(int fieldCount) {
        int lgK = MAX_LG_K;
        while (lgK > MIN_LG_K
                && (long) fieldCount * HllSketch.getMaxUpdatableSerializationBytes(lgK, TgtHllType.HLL_4) > SKETCH_BUDGET_BYTES) {
            lgK--;
        }
        return lgK;
    }

    /** Counts one valid row: its values by field name, as validation produced them. */
    public void add(Map<String, Object> values) {
        for (Field field : fields) {
            field.add(values.get(field.name));
        }
    }

    /** Counts one valid row: its values in schema order, as validation produced them. */
    public void add(Object[] valuesInSchemaOrder) {
        for (int i = 0; i < valuesInSchemaOrder.length; i++) {
            fields[i].add(valuesInSchemaOrder[i]);
        }
    }

    public FieldSummaries summaries() {
        Map<String, FieldSummary> out = new LinkedHashMap<>();
        for (Field f : fields) {
            out.put(f.name, f.summary());
        }
        return new FieldSummaries(out);
    }

    /** One field's running figures (Welford's update for the mean and M2). */
    private static final class Field {
        final String name;
        final FieldKind kind;
        final HllSketch sketch;
        final List<DateTimeFormatter> pattern;
        /** The values the sketch was given lately (null without a sketch): a repeated one is skipped. */
        final RecentValues recent;
        final byte[][] asciiByLength;
        long count;
        long nulls;
        long nans;
        long numbers;
        double mean;
        double m2;
        boolean ordered;
        long minLong = Long.MAX_VALUE;
        long maxLong = Long.MIN_VALUE;
        double minDouble = Double.POSITIVE_INFINITY;
        double maxDouble = Double.NEGATIVE_INFINITY;

        Field(SchemaField field, FieldKind kind, int lgK, List<DateTimeFormatter> pattern, int recentSlots,
              byte[][] asciiByLength) {
            this.name = field.name();
            this.kind = kind;
            // updated as HLL_8 (a byte per register: no nibbles nor exception table; a new value's update
            // takes about 30% less time) and stored as HLL_4, whose bytes the conversion gives exactly
            this.sketch = DistinctSketches.AVAILABLE ? new HllSketch(lgK, TgtHllType.HLL_8) : null;
            this.pattern = pattern;
            this.recent = sketch == null ? null : new RecentValues(recentSlots);
            this.asciiByLength = asciiByLength;
        }

        void add(Object value) {
            if (value == null) {
                nulls++;
                return;
            }
            count++;
            switch (kind) {
                case INTEGER -> {
                    long v = ((Number) value).longValue();
                    distinct(v);
                    extreme(v);
                    moment(v);
                }
                case REAL -> {
                    double v = ((Number) value).doubleValue();
                    distinct(v); // the library counts -0.0 as 0.0, and every NaN as one value
                    if (Double.isNaN(v)) {
                        nans++;
                    } else {
                        ordered = true;
                        minDouble = Math.min(minDouble, v);
                        maxDouble = Math.max(maxDouble, v);
                        moment(v);
                    }
                }
                case TIMESTAMP -> {
                    String text = value.toString();
                    Long seconds = epochSecond(text);
                    if (seconds != null) {
                        distinct(seconds);
                        extreme(seconds);
                    } else {
                        string(text); // not a form read back here: counted, but no instant to compare
                    }
                }
                case BOOLEAN -> distinct((Boolean) value ? 1L : 0L);
                case STRING -> string(value.toString());
            }
        }

        private void string(String text) {
            if (sketch == null || recent.repeats(text)) {
                return;
            }
            if (text.isEmpty()) {
                sketch.update(EMPTY_STRING);
                return;
            }
            // ASCII text is its own UTF-8: hashed from a reused array, the same bytes as getBytes gives.
            int n = text.length();
            if (n <= MAX_REUSED_ASCII) {
                byte[] ascii = asciiByLength[n];
                if (ascii == null) {
                    ascii = asciiByLength[n] = new byte[n];
                }
                for (int i = 0; i < n; i++) {
                    char c = text.charAt(i);
                    if (c >= 0x80) {
                        sketch.update(text.getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    ascii[i] = (byte) c;
                }
                sketch.update(ascii);
                return;
            }
            sketch.update(text.getBytes(StandardCharsets.UTF_8));
        }

        private void distinct(long v) {
            if (sketch != null && !recent.repeats(v)) {
                sketch.update(v);
            }
        }

        private void distinct(double v) {
            // by the value's bits: the same bits are the same update (the library also folds -0.0 and NaNs)
            if (sketch != null && !recent.repeats(Double.doubleToRawLongBits(v))) {
                sketch.update(v);
            }
        }

        private void extreme(long v) {
            ordered = true;
            minLong = Math.min(minLong, v);
            maxLong = Math.max(maxLong, v);
        }

        private void moment(double x) {
            numbers++;
            double delta = x - mean;
            mean += delta / numbers;
            m2 += delta * (x - mean);
        }

        /**
         * A stored timestamp's instant, in epoch seconds: {@code yyyy-MM-dd} (midnight UTC),
         * {@code yyyy-MM-dd HH:mm:ss} (read as UTC, as Forecast does without a time zone) and
         * ISO-8601 UTC ({@code ...T...Z}) read directly; other forms by the rule's pattern.
         */
        Long epochSecond(String s) {
            int n = s.length();
            if ((n == 10 || n == 19 || (n == 20 && s.charAt(19) == 'Z')) && s.charAt(4) == '-' && s.charAt(7) == '-') {
                try {
                    long day = LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10)).toEpochDay();
                    if (n == 10) {
                        return day * 86_400;
                    }
                    char t = s.charAt(10);
                    if ((t == ' ' || t == 'T') && s.charAt(13) == ':' && s.charAt(16) == ':') {
                        int h = digits(s, 11, 13);
                        int m = digits(s, 14, 16);
                        int sec = digits(s, 17, 19);
                        if (h < 24 && m < 60 && sec < 60) {
                            return day * 86_400 + h * 3600L + m * 60L + sec;
                        }
                    }
                } catch (DateTimeException | NumberFormatException notThatForm) {
                    // fall through to the general readers
                }
            }
            try {
                return Instant.parse(s).getEpochSecond();
            } catch (DateTimeException notIso) {
                // the rule's formats
            }
            for (DateTimeFormatter format : pattern) {
                try {
                    TemporalAccessor t = format.parse(s);
                    LocalDate date = t.query(TemporalQueries.localDate());
                    var time = t.query(TemporalQueries.localTime());
                    ZoneOffset offset = t.query(TemporalQueries.offset()); // a value that says its offset; else UTC
                    if (date != null) {
                        return (time == null ? date.atStartOfDay() : LocalDateTime.of(date, time))
                                .toEpochSecond(offset == null ? ZoneOffset.UTC : offset);
                    }
                } catch (DateTimeException notThisFormat) {
                    // the next format may read it
                }
            }
            return null;
        }

        private static int digits(String s, int from, int to) {
            int v = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    throw new NumberFormatException(s);
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        FieldSummary summary() {
            Number min = null;
            Number max = null;
            if (ordered) {
                min = kind == FieldKind.REAL ? (Number) minDouble : (Number) minLong;
                max = kind == FieldKind.REAL ? (Number) maxDouble : (Number) maxLong;
            }
            return new FieldSummary(kind, count, nulls, nans, mean, m2, min, max,
                    sketch == null ? new byte[0] : sketch.copyAs(TgtHllType.HLL_4).toCompactByteArray());
        }
    }
}
