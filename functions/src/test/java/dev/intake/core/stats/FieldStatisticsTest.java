package dev.intake.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.intake.core.schema.RecordSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FieldStatisticsTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[
              {"name":"id","type":"string"},
              {"name":"qty","type":["null","long"]},
              {"name":"price","type":["null","double"]},
              {"name":"ts","type":["null","string"]},
              {"name":"label","type":["null","string"]},
              {"name":"flag","type":["null","boolean"]}]}""", List.of("id"));

    private static FieldStatisticsCollector collector() {
        return new FieldStatisticsCollector(SCHEMA, Set.of("ts"), "yyyy-MM-dd HH:mm:ss");
    }

    private static Map<String, Object> row(Object... nameAndValue) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < nameAndValue.length; i += 2) {
            row.put((String) nameAndValue[i], nameAndValue[i + 1]);
        }
        return row;
    }

    private static Map<String, FieldStatistics> statistics(List<Map<String, Object>> rows) {
        FieldStatisticsCollector c = collector();
        rows.forEach(c::add);
        return FieldSummaries.merge(List.of(c.summaries())).statistics();
    }

    @Test
    void countsMinMaxAvgAndStddevOfEachKind() {
        var stats = statistics(List.of(
                row("id", "a", "qty", 5L, "price", 2.5, "ts", "2024-03-10 07:30:00", "label", "x", "flag", true),
                row("id", "b", "qty", -3L, "price", -1.25, "ts", "2023-12-31 23:59:59", "label", "", "flag", false),
                row("id", "c", "qty", 5L, "price", null, "ts", null, "label", "x", "flag", true),
                row("id", "d", "qty", null, "price", 10.0, "ts", "2024-01-01 00:00:00", "label", null, "flag", null)));

        assertThat(stats.keySet()).containsExactly("id", "qty", "price", "ts", "label", "flag"); // schema order
        assertThat(stats.get("id")).isEqualTo(new FieldStatistics(FieldKind.STRING, 4, 4, 0, 0, null, null, null, null));
        FieldStatistics qty = stats.get("qty");
        assertThat(qty).extracting(FieldStatistics::kind, FieldStatistics::count, FieldStatistics::countDistinct,
                FieldStatistics::countNull, FieldStatistics::countNan, FieldStatistics::min, FieldStatistics::max)
                .containsExactly(FieldKind.INTEGER, 3L, 2L, 1L, 0L, -3L, 5L);
        assertThat(qty.avg()).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(qty.stddev()).isCloseTo(Math.sqrt(((5 - 7.0 / 3) * (5 - 7.0 / 3) * 2 + (-3 - 7.0 / 3) * (-3 - 7.0 / 3)) / 3),
                within(1e-12));
        assertThat(qty.minText()).isEqualTo("-3");
        assertThat(qty.maxText()).isEqualTo("5");
        FieldStatistics price = stats.get("price");
        assertThat(price.minText()).isEqualTo("-1.25");
        assertThat(price.maxText()).isEqualTo("10.0");
        assertThat(price.avg()).isCloseTo(11.25 / 3, within(1e-12));
        FieldStatistics ts = stats.get("ts");
        assertThat(ts).extracting(FieldStatistics::kind, FieldStatistics::count, FieldStatistics::countDistinct,
                FieldStatistics::countNull, FieldStatistics::avg, FieldStatistics::stddev)
                .containsExactly(FieldKind.TIMESTAMP, 3L, 3L, 1L, null, null);
        assertThat(ts.minText()).isEqualTo("2023-12-31T23:59:59Z"); // by instant, as Forecast writes it
        assertThat(ts.maxText()).isEqualTo("2024-03-10T07:30:00Z");
        // the empty string is a value (the sketch library ignores empty input; it is counted all the same)
        assertThat(stats.get("label")).isEqualTo(new FieldStatistics(FieldKind.STRING, 3, 2, 1, 0, null, null, null, null));
        assertThat(stats.get("flag")).isEqualTo(new FieldStatistics(FieldKind.BOOLEAN, 3, 2, 1, 0, null, null, null, null));
    }

    @Test
    void timestampsInEveryStoredFormCompareAsInstants() {
        // a day, a date and time as written, and the ISO-8601 UTC form a job with a time zone stores
        for (List<String> values : List.of(List.of("2024-02-29", "2023-01-01", "2024-12-31"),
                List.of("2024-02-29T10:00:00Z", "2023-01-01T00:00:00Z", "2024-12-31T00:00:01Z"))) {
            FieldStatistics ts = statistics(values.stream().map(v -> row("id", v, "ts", v)).toList()).get("ts");
            assertThat(ts.minText()).startsWith("2023-01-01T00:00:00Z");
            assertThat(ts.maxText()).startsWith("2024-12-31T");
            assertThat(ts.countDistinct()).isEqualTo(3);
        }
        // another format of the rule's is read by its pattern
        FieldStatisticsCollector dayFirst = new FieldStatisticsCollector(SCHEMA, Set.of("ts"), "dd.MM.yyyy");
        dayFirst.add(row("id", "a", "ts", "02.01.2024"));
        dayFirst.add(row("id", "b", "ts", "31.12.2023"));
        FieldStatistics ts = dayFirst.summaries().fields().get("ts").statistics();
        assertThat(ts.minText()).isEqualTo("2023-12-31T00:00:00Z");
        assertThat(ts.maxText()).isEqualTo("2024-01-02T00:00:00Z");
    }

    @Test
    void aRuleOfSeveralFormatsReadsEachValueByTheFirstThatReadsItAndHonoursItsOffset() {
        // Lookout for Equipment's formats: a space or 'T', optional fraction and offset
        FieldStatisticsCollector lookout = new FieldStatisticsCollector(SCHEMA, Set.of("ts"),
                "yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][XXX]|yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][XXX]");
        lookout.add(row("id", "a", "ts", "2024-01-31 23:59:59.123+01:00")); // 22:59:59 UTC
        lookout.add(row("id", "b", "ts", "2024-01-31T10:00:00.123456")); // no offset: UTC
        lookout.add(row("id", "c", "ts", "2024-02-01 00:30:00.000-02:00")); // 02:30 UTC on Feb 1st
        FieldStatistics ts = lookout.summaries().fields().get("ts").statistics();
        assertThat(ts.count()).isEqualTo(3);
        assertThat(ts.minText()).isEqualTo("2024-01-31T10:00:00Z");
        assertThat(ts.maxText()).isEqualTo("2024-02-01T02:30:00Z");
    }

    @Test
    void nanIsAValueCountedApartAndLeftOutOfMinMaxAvgAndStddev() {
        var stats = statistics(List.of(row("id", "a", "price", Double.NaN), row("id", "b", "price", 4.0),
                row("id", "c", "price", Double.NaN), row("id", "d", "price", 2.0), row("id", "e", "price", null)));
        FieldStatistics price = stats.get("price");
        assertThat(price).extracting(FieldStatistics::count, FieldStatistics::countNan, FieldStatistics::countNull,
                FieldStatistics::countDistinct, FieldStatistics::min, FieldStatistics::max, FieldStatistics::avg,
                FieldStatistics::stddev)
                .containsExactly(4L, 2L, 1L, 3L, 2.0, 4.0, 3.0, 1.0); // distinct: 4.0, 2.0 and NaN

        FieldStatistics onlyNan = statistics(List.of(row("id", "a", "price", Double.NaN))).get("price");
        assertThat(onlyNan).isEqualTo(new FieldStatistics(FieldKind.REAL, 1, 1, 0, 1, null, null, null, null));
    }

    @Test
    void aFieldWithNoValuesHasCountsOnly() {
        var stats = statistics(List.of(row("id", "a"), row("id", "b")));
        assertThat(stats.get("qty")).isEqualTo(new FieldStatistics(FieldKind.INTEGER, 0, 0, 2, 0, null, null, null, null));
        assertThat(stats.get("ts")).isEqualTo(new FieldStatistics(FieldKind.TIMESTAMP, 0, 0, 2, 0, null, null, null, null));
        assertThat(FieldSummaries.merge(List.of()).statistics()).isEmpty();
    }

    @Test
    void aFileSplitIntoChunksAnyWayHasTheStatisticsOfOnePass() {
        Random random = new Random(42);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(row("id", "k" + random.nextInt(5_000),
                    "qty", random.nextInt(10) == 0 ? null : (long) random.nextInt(1_000_000) - 500_000,
                    // a large offset: the naive sum-of-squares formula would lose the variance here
                    "price", random.nextInt(10) == 0 ? null : 1e9 + random.nextGaussian() * 3,
                    "ts", String.format("2024-%02d-%02d %02d:00:00", 1 + random.nextInt(12), 1 + random.nextInt(28),
                            random.nextInt(24)),
                    "flag", random.nextBoolean()));
        }
        Map<String, FieldStatistics> onePass = statistics(rows);

        // values computed directly, with exact sums
        long[] qty = rows.stream().filter(r -> r.get("qty") != null).mapToLong(r -> (Long) r.get("qty")).toArray();
        double[] price = rows.stream().filter(r -> r.get("price") != null).mapToDouble(r -> (Double) r.get("price")).toArray();
        assertDirect(onePass.get("qty"), Arrays.stream(qty).asDoubleStream().toArray());
        assertDirect(onePass.get("price"), price);
        assertThat(onePass.get("qty").min()).isEqualTo(Arrays.stream(qty).min().getAsLong());
        assertThat(onePass.get("qty").max()).isEqualTo(Arrays.stream(qty).max().getAsLong());
        assertThat(onePass.get("qty").countNull()).isEqualTo(rows.size() - qty.length);
        assertThat(onePass.get("ts").minText()).isEqualTo(rows.stream().map(r -> (String) r.get("ts")).sorted().findFirst()
                .orElseThrow().replace(' ', 'T') + "Z");

        for (int splits : new int[] {2, 3, 7, 50, 997}) {
            // cut at random places (some chunks empty), and merge the chunks in a shuffled order
            TreeSet<Integer> cuts = new TreeSet<>();
            while (cuts.size() < splits - 1) {
                cuts.add(random.nextInt(rows.size() + 1));
            }
            List<FieldSummaries> chunks = new ArrayList<>();
            int from = 0;
            for (int cut : cuts) {
                chunks.add(summaries(rows.subList(from, cut)));
                from = cut;
            }
            chunks.add(summaries(rows.subList(from, rows.size())));
            java.util.Collections.shuffle(chunks, random);
            // as stored: every chunk's statistics go through their binary form
            Map<String, FieldStatistics> merged = FieldSummaries.merge(chunks.stream()
                    .map(c -> FieldSummaries.decode(c.encode())).toList()).statistics();

            for (String field : onePass.keySet()) {
                FieldStatistics one = onePass.get(field);
                FieldStatistics split = merged.get(field);
                assertThat(split).as("%s in %d chunks", field, splits).usingRecursiveComparison()
                        .ignoringFields("avg", "stddev").isEqualTo(one);
                if (one.avg() != null) {
                    assertThat(split.avg()).as(field).isCloseTo(one.avg(), within(Math.abs(one.avg()) * 1e-14 + 1e-9));
                    assertThat(split.stddev()).as(field).isCloseTo(one.stddev(), within(one.stddev() * 1e-6));
                }
            }
        }
    }

    private static FieldSummaries summaries(List<Map<String, Object>> rows) {
        FieldStatisticsCollector c = collector();
        rows.forEach(c::add);
        return c.summaries();
    }

    /** Avg and Stddev against a two-pass computation in BigDecimal. */
    private static void assertDirect(FieldStatistics f, double[] values) {
        java.math.MathContext mc = java.math.MathContext.DECIMAL128;
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new java.math.BigDecimal(v));
        }
        java.math.BigDecimal mean = sum.divide(java.math.BigDecimal.valueOf(values.length), mc);
        java.math.BigDecimal squares = java.math.BigDecimal.ZERO;
        for (double v : values) {
            java.math.BigDecimal d = new java.math.BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d));
        }
        double stddev = Math.sqrt(squares.divide(java.math.BigDecimal.valueOf(values.length), mc).doubleValue());
        assertThat(f.count()).isEqualTo(values.length);
        assertThat(f.avg()).isCloseTo(mean.doubleValue(), within(Math.abs(mean.doubleValue()) * 1e-14 + 1e-9));
        // Welford's update keeps the error near what the values themselves hold (1e9 + noise of 3 has 1 ulp
        // = 1.2e-7): 1e-6 relative. The textbook sum-of-squares formula would be off by about 200 in the variance.
        assertThat(f.stddev()).isCloseTo(stddev, within(stddev * 1e-6));
    }

    @Test
    void distinctCountsAreExactForFewValuesAndWithinTheSketchsErrorForMany() {
        FieldStatisticsCollector few = collector();
        for (int i = 0; i < 1_000; i++) {
            few.add(row("id", "k" + (i % 37), "qty", (long) (i % 200)));
        }
        var fewStats = FieldSummaries.merge(List.of(few.summaries())).statistics();
        assertThat(fewStats.get("id").countDistinct()).isEqualTo(37);
        assertThat(fewStats.get("qty").countDistinct()).isEqualTo(200);

        // 100,000 distinct values in 10 chunks (each value in two of them)
        List<FieldSummaries> chunks = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            FieldStatisticsCollector chunk = collector();
            for (int i = c * 10_000; i < (c + 2) * 10_000; i++) {
                chunk.add(row("id", "key-" + (i % 100_000), "qty", (long) i % 100_000));
            }
            chunks.add(chunk.summaries());
        }
        FieldSummaries merged = FieldSummaries.merge(chunks);
        for (String field : List.of("id", "qty")) {
            FieldSummary summary = merged.fields().get(field);
            double[] bounds = summary.distinctBounds(3); // 3 standard deviations: 99.7%
            assertThat(100_000.0).as(field).isBetween(bounds[0], bounds[2]);
            // lgK 12: a relative standard error of about 1.6%
            assertThat(summary.statistics().countDistinct()).as(field).isCloseTo(100_000L, within(5_000L));
            assertThat(summary.statistics().count()).isEqualTo(200_000);
        }
    }

    @Test
    void theStoredFormIsBoundedHoweverWideTheSchema() {
        StringBuilder fields = new StringBuilder("{\"name\":\"f0\",\"type\":\"string\"}");
        for (int i = 1; i < 600; i++) {
            fields.append(",{\"name\":\"f").append(i).append("\",\"type\":\"long\"}");
        }
        RecordSchema wide = RecordSchema.parse("{\"type\":\"record\",\"name\":\"W\",\"fields\":[" + fields + "]}",
                List.of("f0"));
        FieldStatisticsCollector c = new FieldStatisticsCollector(wide, Set.of(), null);
        Random random = new Random(7);
        for (int r = 0; r < 5_000; r++) {
            Map<String, Object> row = new HashMap<>();
            row.put("f0", "k" + r);
            for (int i = 1; i < 600; i++) {
                row.put("f" + i, random.nextLong());
            }
            c.add(row);
        }
        byte[] encoded = c.summaries().encode();
        assertThat(FieldStatisticsCollector.lgK(600)).isLessThan(FieldStatisticsCollector.MAX_LG_K);
        assertThat(FieldStatisticsCollector.lgK(6)).isEqualTo(FieldStatisticsCollector.MAX_LG_K);
        // the sketches' budget plus a few dozen bytes a field: well inside a DynamoDB item's 400 KB
        assertThat(encoded.length).isLessThan(FieldStatisticsCollector.SKETCH_BUDGET_BYTES + 600 * 64);
        assertThat(FieldSummaries.decode(encoded)).isEqualTo(c.summaries());
        // and the job keeps only the figures: a few dozen bytes a field
        Map<String, FieldStatistics> figures = FieldSummaries.merge(List.of(c.summaries())).statistics();
        byte[] job = FieldStatistics.encode(figures);
        assertThat(job.length).isLessThan(600 * 80);
        assertThat(FieldStatistics.decode(job)).isEqualTo(figures);
        assertThat(FieldStatistics.decode(job).keySet()).containsExactlyElementsOf(figures.keySet());
    }

    @Test
    void withoutTheSketchLibraryTheDistinctCountIsUnknownAndEverythingElseCounts() {
        // what a chunk stores on a JDK the library refuses: no sketch
        FieldSummary noSketch = new FieldSummary(FieldKind.INTEGER, 2, 1, 0, 2.0, 2.0, 1L, 3L, new byte[0]);
        FieldSummary withSketch = summaries(List.of(row("id", "a", "qty", 5L))).fields().get("qty");
        assertThat(DistinctSketches.AVAILABLE).as("the library runs on the JDKs the build uses").isTrue();

        FieldStatistics alone = noSketch.statistics();
        assertThat(alone.countDistinct()).isEqualTo(FieldStatistics.UNKNOWN);
        assertThat(alone.count()).isEqualTo(2);
        // a distinct count of only some of the rows would be wrong: none at all
        FieldStatistics merged = FieldSummaries.merge(List.of(new FieldSummaries(Map.of("qty", noSketch)),
                new FieldSummaries(Map.of("qty", withSketch)))).statistics().get("qty");
        assertThat(merged).usingRecursiveComparison().ignoringFields("stddev").isEqualTo(new FieldStatistics(
                FieldKind.INTEGER, 3, FieldStatistics.UNKNOWN, 1, 0, 1L, 5L, 3.0, null));
        assertThat(merged.stddev()).isCloseTo(Math.sqrt(8.0 / 3), within(1e-12)); // 1, 3 and 5
    }

    @Test
    void theStoredFormsReadBackExactly() {
        var rows = List.of(row("id", "a", "qty", Long.MIN_VALUE, "price", -0.0, "ts", "2024-01-01 00:00:00"),
                row("id", "b", "qty", Long.MAX_VALUE, "price", Double.MAX_VALUE, "flag", true));
        FieldSummaries summaries = summaries(rows);
        assertThat(FieldSummaries.decode(summaries.encode())).isEqualTo(summaries);
        assertThat(FieldSummaries.decode(null)).isEqualTo(FieldSummaries.NONE);
        Map<String, FieldStatistics> stats = FieldSummaries.merge(List.of(summaries)).statistics();
        assertThat(FieldStatistics.decode(FieldStatistics.encode(stats))).isEqualTo(stats);
        assertThat(stats.get("qty").minText()).isEqualTo(Long.toString(Long.MIN_VALUE)); // exact, not via double
        assertThat(stats.get("qty").maxText()).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void statisticsOfRowsAFileRuleGaveFieldsKeepThemAndMergeByThem() {
        FieldSummaries pumpA = summaries(List.of(row("id", "a", "qty", 1L), row("id", "b"))).withGiven(Map.of("component", "Pump"));
        FieldSummaries pumpB = summaries(List.of(row("id", "c", "qty", 5L))).withGiven(Map.of("component", "Pump"));
        FieldSummaries fan = summaries(List.of(row("id", "d"), row("id", "e"))).withGiven(Map.of("component", "Fan"));
        FieldSummaries none = summaries(List.of(row("id", "f", "qty", 9L)));
        // the given fields survive the stored form, which without them is the same bytes as before
        assertThat(FieldSummaries.decode(pumpA.encode())).isEqualTo(pumpA);
        assertThat(FieldSummaries.decode(pumpA.encode()).given()).containsExactly(Map.entry("component", "Pump"));
        assertThat(none.encode()[0]).isEqualTo((byte) 1);
        assertThat(FieldSummaries.decode(none.encode()).given()).isEmpty();

        var groups = FieldSummaries.mergeByGiven(List.of(pumpA, fan, none, pumpB));
        assertThat(groups.keySet()).containsExactly(Map.of("component", "Pump"), Map.of("component", "Fan"), Map.of());
        FieldStatistics pumpQty = groups.get(Map.of("component", "Pump")).statistics().get("qty");
        assertThat(pumpQty.count()).isEqualTo(2);
        assertThat(pumpQty.countNull()).isEqualTo(1);
        assertThat(pumpQty.min()).isEqualTo(1L);
        assertThat(pumpQty.max()).isEqualTo(5L);
        FieldStatistics fanQty = groups.get(Map.of("component", "Fan")).statistics().get("qty");
        assertThat(fanQty.count()).isZero();
        assertThat(fanQty.countNull()).isEqualTo(2);
        assertThat(groups.get(Map.of()).statistics().get("qty").count()).isEqualTo(1);
        assertThat(groups.get(Map.of("component", "Fan")).given()).containsExactly(Map.entry("component", "Fan"));
        // merged across groups: what the job reports for the whole import
        assertThat(FieldSummaries.merge(List.of(pumpA, fan, none, pumpB)).statistics().get("qty").count()).isEqualTo(3);
    }

    @Test
    void asciiStringsGoIntoTheSketchAsTheirUtf8BytesLikeEveryOtherString() {
        RecordSchema schema = RecordSchema.parse("{\"type\":\"record\",\"name\":\"S\",\"fields\":"
                + "[{\"name\":\"s\",\"type\":\"string\"}]}", List.of("s"));
        FieldStatisticsCollector c = new FieldStatisticsCollector(schema, Set.of(), null);
        org.apache.datasketches.hll.HllSketch expected = new org.apache.datasketches.hll.HllSketch(
                FieldStatisticsCollector.lgK(1), org.apache.datasketches.hll.TgtHllType.HLL_4);
        for (int i = 0; i < 5_000; i++) {
            String value = switch (i % 3) {
                case 0 -> "ascii-" + i;
                case 1 -> "caf\u00e9-" + i;
                default -> "x".repeat(300) + i; // longer than the reused buffer
            };
            c.add(new Object[] {value});
            expected.update(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(DistinctSketches.AVAILABLE);
        assertThat(c.summaries().fields().get("s").sketch()).isEqualTo(expected.toCompactByteArray());
    }

    /**
     * A value the sketch was given lately is not given to it again (see {@link RecentValues}): the
     * stored sketch of each kind is still exactly that of an HLL_4 sketch given every value, whether
     * the values repeat a lot, a little or not at all, and when a field's pattern changes midway.
     */
    @Test
    void skippingRepeatedValuesLeavesExactlyTheSketchOfEveryValue() {
        org.junit.jupiter.api.Assumptions.assumeTrue(DistinctSketches.AVAILABLE);
        RecordSchema schema = RecordSchema.parse("""
                {"type":"record","name":"R","fields":[{"name":"s","type":"string"},{"name":"n","type":"long"},
                {"name":"d","type":"double"},{"name":"b","type":"boolean"},{"name":"t","type":"string"}]}""", List.of("s"));
        int lgK = FieldStatisticsCollector.lgK(5);
        Random random = new Random(3);
        String[] words = {"", "a", "caf\u00e9", "x".repeat(70), "y".repeat(300), "blue", "red"};
        double[] reals = {0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L), 1.5, -2.25};
        for (int rows : new int[] {1, 50, 3_000, 150_000}) {
            FieldStatisticsCollector c = new FieldStatisticsCollector(schema, Set.of("t"), "dd/MM/yyyy");
            Map<String, org.apache.datasketches.hll.HllSketch> expected = new java.util.LinkedHashMap<>();
            for (String f : List.of("s", "n", "d", "b", "t")) {
                expected.put(f, new org.apache.datasketches.hll.HllSketch(lgK, org.apache.datasketches.hll.TgtHllType.HLL_4));
            }
            for (int i = 0; i < rows; i++) {
                // a few values, then all distinct, then a few again (the field stops and starts looking)
                boolean distinctPhase = i > rows / 3 && i < 2 * rows / 3;
                String s = distinctPhase ? "key-" + i : words[random.nextInt(words.length)] + (random.nextInt(4) == 0 ? i % 50 : "");
                long n = distinctPhase ? random.nextLong() : random.nextInt(300);
                double d = distinctPhase ? random.nextDouble() : reals[random.nextInt(reals.length)];
                boolean b = random.nextBoolean();
                String t = switch (random.nextInt(3)) {
                    case 0 -> "2024-01-0" + (1 + random.nextInt(9));
                    case 1 -> "0" + (1 + random.nextInt(9)) + "/02/2024"; // read by the rule: an instant
                    default -> "not a time " + random.nextInt(20); // no instant: hashed as text
                };
                c.add(new Object[] {s, n, d, b, t});
                updateAsText(expected.get("s"), s);
                expected.get("n").update(n);
                expected.get("d").update(d);
                expected.get("b").update(b ? 1L : 0L);
                if (t.startsWith("not")) {
                    updateAsText(expected.get("t"), t);
                } else {
                    int day = t.startsWith("2024") ? Integer.parseInt(t.substring(8)) : Integer.parseInt(t.substring(0, 2));
                    int month = t.startsWith("2024") ? 1 : 2;
                    expected.get("t").update(java.time.LocalDate.of(2024, month, day).toEpochDay() * 86_400);
                }
            }
            for (var e : expected.entrySet()) {
                assertThat(c.summaries().fields().get(e.getKey()).sketch()).as(rows + " rows, field " + e.getKey())
                        .isEqualTo(e.getValue().toCompactByteArray());
            }
        }
    }

    private static void updateAsText(org.apache.datasketches.hll.HllSketch sketch, String s) {
        sketch.update(s.isEmpty() ? new byte[] {(byte) 0xFF} : s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The sketches are updated in another layout than they are stored in: the stored bytes are
     * those of an HLL_4 sketch fed the same values, in each of its modes (list, set, registers), so
     * chunks of one job merge exactly whichever way they were counted.
     */
    @Test
    void theStoredSketchIsTheHll4SketchOfTheSameValuesInEveryMode() {
        org.junit.jupiter.api.Assumptions.assumeTrue(DistinctSketches.AVAILABLE);
        RecordSchema schema = RecordSchema.parse("{\"type\":\"record\",\"name\":\"S\",\"fields\":"
                + "[{\"name\":\"n\",\"type\":\"long\"}]}", List.of("n"));
        Random random = new Random(7);
        for (int rows : new int[] {0, 1, 10, 100, 1_000, 5_000, 200_000}) {
            FieldStatisticsCollector c = new FieldStatisticsCollector(schema, Set.of(), null);
            org.apache.datasketches.hll.HllSketch expected = new org.apache.datasketches.hll.HllSketch(
                    FieldStatisticsCollector.lgK(1), org.apache.datasketches.hll.TgtHllType.HLL_4);
            int distinct = 1 + random.nextInt(Math.max(1, rows));
            for (int i = 0; i < rows; i++) {
                long value = random.nextInt(distinct);
                c.add(new Object[] {value});
                expected.update(value);
            }
            assertThat(c.summaries().fields().get("n").sketch()).as(rows + " rows").isEqualTo(expected.toCompactByteArray());
        }
    }
}
