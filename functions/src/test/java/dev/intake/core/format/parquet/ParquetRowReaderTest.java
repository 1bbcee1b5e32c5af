package dev.intake.core.format.parquet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.intake.core.ImportFailedException;

import dev.intake.core.format.RawRow;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.schema.InvalidRowException;
import dev.intake.core.schema.RecordSchema;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

class ParquetRowReaderTest {
    static final String URI = "s3://b/k.parquet";

    /** One object, read only by ranges (as S3 serves it), each range noted. */
    static class OneObject implements ObjectStore {
        final byte[] body;
        final List<long[]> ranges = new ArrayList<>();

        OneObject(byte[] body) {
            this.body = body;
        }

        @Override
        public List<StoredObject> list(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredObject> head(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
            ranges.add(new long[] {start, endExclusive});
            return new ByteArrayInputStream(Arrays.copyOfRange(body, (int) start, (int) Math.min(endExclusive, body.length)));
        }

        @Override
        public InputStream read(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteAll(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }
    }

    static List<RawRow> read(byte[] file, RecordSchema schema, long start, long end) throws Exception {
        List<RawRow> rows = new ArrayList<>();
        try (ParquetRowReader reader = ParquetRowReader.open(new OneObject(file), "b", "k.parquet", "etag", file.length, URI,
                start, end, schema, Set.of())) {
            for (RawRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    static RecordSchema schema(String field) {
        return RecordSchema.parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
                + field + "]}", List.of("ID"));
    }

    /** A file of an ID column and a column V of the given Parquet type, V of row i set by {@code fill}. */
    static byte[] file(String column, int rows, BiConsumer<Integer, Group> fill) {
        return ParquetFiles.write("message m { required binary ID (STRING); " + column + "; }", 1000,
                CompressionCodecName.SNAPPY, rows, (i, g) -> {
                    g.add("ID", "r" + i);
                    fill.accept(i, g);
                });
    }

    /** Each row as validation stores it (canonical JSON), or "! " and the reason it fails. */
    static List<String> outcomes(byte[] file, RecordSchema schema) throws Exception {
        return read(file, schema, 0, file.length).stream().map(row -> {
            if (row.error() != null) {
                return "! " + row.error();
            }
            try {
                return schema.validate(row.values()).canonical();
            } catch (InvalidRowException e) {
                return "! " + e.getMessage();
            }
        }).toList();
    }

    static List<String> outcomes(String column, String field, Object... values) throws Exception {
        byte[] file = file(column, values.length, (i, g) -> add(g, values[i]));
        return outcomes(file, schema(field));
    }

    private static void add(Group g, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Integer v) {
            g.add("V", v);
        } else if (value instanceof Long v) {
            g.add("V", v);
        } else if (value instanceof Float v) {
            g.add("V", v);
        } else if (value instanceof Double v) {
            g.add("V", v);
        } else if (value instanceof Boolean v) {
            g.add("V", v);
        } else if (value instanceof String v) {
            g.add("V", v);
        } else {
            g.add("V", Binary.fromConstantByteArray((byte[]) value));
        }
    }

    static ImportFailedException refused(String parquetSchema, String field) {
        byte[] file = ParquetFiles.write(parquetSchema, 10, CompressionCodecName.UNCOMPRESSED, 0, (i, g) -> { });
        return catchThrowableOfType(() -> read(file, schema(field), 0, file.length), ImportFailedException.class);
    }

    @Test
    void textColumnsAreReadAsTheirTextAndAsCsvTextIntoOtherTypes() throws Exception {
        assertThat(outcomes("required binary V (STRING)", "{\"name\":\"V\",\"type\":\"string\"}", " a, \"b\" ", "", "ü€"))
                .containsExactly("{\"ID\":\"r0\",\"V\":\" a, \\\"b\\\" \"}", "{\"ID\":\"r1\",\"V\":\"\"}",
                        "{\"ID\":\"r2\",\"V\":\"ü€\"}");
        assertThat(outcomes("required binary V (ENUM)", "{\"name\":\"V\",\"type\":\"string\"}", "RED"))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"RED\"}");
        // BINARY without a logical type: text when it is UTF-8, else the row fails
        assertThat(outcomes("required binary V", "{\"name\":\"V\",\"type\":\"string\"}", "plain".getBytes(UTF_8),
                new byte[] {(byte) 0xC3, 0x28}))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"plain\"}", "! field 'V' is not valid UTF-8");
        // a string holding a number is read as CSV reads it: exactly as strict
        assertThat(outcomes("required binary V (STRING)", "{\"name\":\"V\",\"type\":\"int\"}", "42", " 7 ", "1.5", "007",
                "2147483648"))
                .containsExactly("{\"ID\":\"r0\",\"V\":42}", "{\"ID\":\"r1\",\"V\":7}",
                        "! field 'V' has value '1.5', which is not an int", "! field 'V' has value '007', which is not an int",
                        "! field 'V' value 2147483648 is out of range for int");
        assertThat(outcomes("required fixed_len_byte_array(16) V (UUID)", "{\"name\":\"V\",\"type\":\"string\"}",
                new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, (byte) 0xde, (byte) 0xf0, 0, 1, 2, 3, 4, 5, 6, 7}))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"12345678-9abc-def0-0001-020304050607\"}");
    }

    @Test
    void integersFitTheFieldOrFailTheirRowOutOfRange() throws Exception {
        String intField = "{\"name\":\"V\",\"type\":\"int\"}";
        String longField = "{\"name\":\"V\",\"type\":\"long\"}";
        assertThat(outcomes("required int32 V", intField, Integer.MIN_VALUE, 0))
                .containsExactly("{\"ID\":\"r0\",\"V\":-2147483648}", "{\"ID\":\"r1\",\"V\":0}");
        assertThat(outcomes("required int32 V (INTEGER(8,true))", intField, -128)).containsExactly("{\"ID\":\"r0\",\"V\":-128}");
        assertThat(outcomes("required int32 V (INTEGER(16,false))", intField, 65535))
                .containsExactly("{\"ID\":\"r0\",\"V\":65535}");
        // an unsigned INT32 is read unsigned: 2^32-1 is not an int, it is a long
        assertThat(outcomes("required int32 V (INTEGER(32,false))", intField, -1))
                .containsExactly("! field 'V' value 4294967295 is out of range for int");
        assertThat(outcomes("required int32 V (INTEGER(32,false))", longField, -1))
                .containsExactly("{\"ID\":\"r0\",\"V\":4294967295}");
        assertThat(outcomes("required int64 V", intField, 2147483647L, 2147483648L, -2147483649L))
                .containsExactly("{\"ID\":\"r0\",\"V\":2147483647}", "! field 'V' value 2147483648 is out of range for int",
                        "! field 'V' value -2147483649 is out of range for int");
        assertThat(outcomes("required int64 V", longField, Long.MAX_VALUE, Long.MIN_VALUE))
                .containsExactly("{\"ID\":\"r0\",\"V\":9223372036854775807}", "{\"ID\":\"r1\",\"V\":-9223372036854775808}");
        assertThat(outcomes("required int64 V (INTEGER(64,false))", longField, -1L, 5L))
                .containsExactly("! field 'V' value 18446744073709551615 is out of range for long", "{\"ID\":\"r1\",\"V\":5}");
        // whole numbers into real fields, as CSV's "42" is
        assertThat(outcomes("required int64 V", "{\"name\":\"V\",\"type\":\"double\"}", 42L))
                .containsExactly("{\"ID\":\"r0\",\"V\":42.0}");
    }

    @Test
    void decimalsAreExactAndAFractionNeverGoesIntoAWholeNumberField() throws Exception {
        String longField = "{\"name\":\"V\",\"type\":\"long\"}";
        String doubleField = "{\"name\":\"V\",\"type\":\"double\"}";
        assertThat(outcomes("required int32 V (DECIMAL(9,2))", longField, 150, 200, -300))
                .containsExactly("! field 'V' has value 1.50, which is not a long", "{\"ID\":\"r1\",\"V\":2}",
                        "{\"ID\":\"r2\",\"V\":-3}");
        assertThat(outcomes("required int64 V (DECIMAL(18,3))", doubleField, 1234567L, -1L))
                .containsExactly("{\"ID\":\"r0\",\"V\":1234.567}", "{\"ID\":\"r1\",\"V\":-0.001}");
        byte[] big = new java.math.BigInteger("-123456789012345678901234").toByteArray();
        byte[] fixed = new byte[16];
        java.util.Arrays.fill(fixed, (byte) 0xff); // sign extension of a negative number
        System.arraycopy(big, 0, fixed, 16 - big.length, big.length);
        assertThat(outcomes("required fixed_len_byte_array(16) V (DECIMAL(38,4))", doubleField, fixed))
                .containsExactly("{\"ID\":\"r0\",\"V\":-1.2345678901234567E19}");
        assertThat(outcomes("required fixed_len_byte_array(16) V (DECIMAL(38,4))", longField, fixed))
                .containsExactly("! field 'V' has value -12345678901234567890.1234, which is not a long");
        assertThat(outcomes("required binary V (DECIMAL(30,0))", longField,
                new java.math.BigInteger("99999999999999999999").toByteArray(), new byte[] {0x7f}))
                .containsExactly("! field 'V' value 99999999999999999999 is out of range for long", "{\"ID\":\"r1\",\"V\":127}");
    }

    @Test
    void floatsAndDoublesAreReadAsWrittenAndNaNOrInfinityFailsTheRow() throws Exception {
        String doubleField = "{\"name\":\"V\",\"type\":\"double\"}";
        assertThat(outcomes("required float V", doubleField, 0.1f, -2.5f, Float.NaN, Float.POSITIVE_INFINITY))
                .containsExactly("{\"ID\":\"r0\",\"V\":0.1}", "{\"ID\":\"r1\",\"V\":-2.5}",
                        "! field 'V' has value NaN, which is not a double",
                        "! field 'V' has value Infinity, which is not a double");
        assertThat(outcomes("required double V", doubleField, 1.0E300, -0.0, Double.NaN, Double.NEGATIVE_INFINITY))
                .containsExactly("{\"ID\":\"r0\",\"V\":1.0E300}", "{\"ID\":\"r1\",\"V\":0.0}", // as CSV's -0.0
                        "! field 'V' has value NaN, which is not a double",
                        "! field 'V' has value -Infinity, which is not a double");
        // into a float field: beyond the float's range fails, as CSV's 3.5e38 does
        assertThat(outcomes("required double V", "{\"name\":\"V\",\"type\":\"float\"}", 3.5e38, 1.5))
                .containsExactly("! field 'V' value 3.5E38 is out of range for float", "{\"ID\":\"r1\",\"V\":1.5}");
        // into whole-number fields: only whole values, as CSV's 1.0
        assertThat(outcomes("required double V", "{\"name\":\"V\",\"type\":\"long\"}", 3.0, 1.5))
                .containsExactly("{\"ID\":\"r0\",\"V\":3}", "! field 'V' has value 1.5, which is not a long");
    }

    @Test
    void booleansFillBooleanFieldsOnly() throws Exception {
        assertThat(outcomes("required boolean V", "{\"name\":\"V\",\"type\":\"boolean\"}", true, false))
                .containsExactly("{\"ID\":\"r0\",\"V\":true}", "{\"ID\":\"r1\",\"V\":false}");
        assertThat(refused("message m { required binary ID (STRING); required boolean V; }",
                "{\"name\":\"V\",\"type\":\"string\"}"))
                .hasMessage("File " + URI + ": column 'V' (BOOLEAN) cannot be read into field 'V' of type string");
        assertThat(refused("message m { required binary ID (STRING); required int64 V; }",
                "{\"name\":\"V\",\"type\":\"string\"}"))
                .hasMessage("File " + URI + ": column 'V' (INT64) cannot be read into field 'V' of type string");
        assertThat(refused("message m { required binary ID (STRING); required double V; }",
                "{\"name\":\"V\",\"type\":\"boolean\"}"))
                .hasMessage("File " + URI + ": column 'V' (DOUBLE) cannot be read into field 'V' of type boolean");
    }

    @Test
    void datesTimesAndTimestampsAreTextInStringFieldsAndTheirCountInLongFields() throws Exception {
        String stringField = "{\"name\":\"V\",\"type\":\"string\"}";
        assertThat(outcomes("required int32 V (DATE)", stringField, 19782, -1))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"2024-02-29\"}", "{\"ID\":\"r1\",\"V\":\"1969-12-31\"}");
        assertThat(outcomes("required int32 V (DATE)", "{\"name\":\"V\",\"type\":\"int\"}", 19782))
                .containsExactly("{\"ID\":\"r0\",\"V\":19782}");
        assertThat(outcomes("required int64 V (TIMESTAMP(MILLIS,true))", stringField, 1709164800000L, 1709164800250L, -1L))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"2024-02-29 00:00:00\"}",
                        "{\"ID\":\"r1\",\"V\":\"2024-02-29 00:00:00.250\"}", "{\"ID\":\"r2\",\"V\":\"1969-12-31 23:59:59.999\"}");
        assertThat(outcomes("required int64 V (TIMESTAMP(MICROS,false))", stringField, 1709164800000001L))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"2024-02-29 00:00:00.000001\"}");
        assertThat(outcomes("required int64 V (TIMESTAMP(NANOS,true))", stringField, 1709164805000000007L))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"2024-02-29 00:00:05.000000007\"}");
        assertThat(outcomes("required int64 V (TIMESTAMP(MICROS,true))", "{\"name\":\"V\",\"type\":\"long\"}",
                1709164800000001L)).containsExactly("{\"ID\":\"r0\",\"V\":1709164800000001}");
        // a time of day past midnight is no time: its row fails, the file is read on
        assertThat(outcomes("required int32 V (TIME(MILLIS,true))", stringField, 90_000_000, 0))
                .containsExactly("! field 'V' value 90000000 (TIME(MILLIS,true)) is out of the range of dates and times",
                        "{\"ID\":\"r1\",\"V\":\"00:00:00\"}");
        assertThat(outcomes("required int32 V (TIME(MILLIS,true))", stringField, 49530250))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"13:45:30.250\"}");
        assertThat(outcomes("required int64 V (TIME(MICROS,false))", stringField, 49530000000L))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"13:45:30\"}");
        assertThat(refused("message m { required binary ID (STRING); required int64 V (TIMESTAMP(MILLIS,true)); }",
                "{\"name\":\"V\",\"type\":\"double\"}"))
                .hasMessage("File " + URI + ": column 'V' (INT64 TIMESTAMP(MILLIS,true)) cannot be read into field 'V' "
                        + "of type double");
    }

    @Test
    void aMissingValueIsNullTheDefaultOrAFailedRowAsInCsv() throws Exception {
        assertThat(outcomes("optional int64 V", "{\"name\":\"V\",\"type\":[\"null\",\"long\"]}", 1L, null))
                .containsExactly("{\"ID\":\"r0\",\"V\":1}", "{\"ID\":\"r1\",\"V\":null}");
        assertThat(outcomes("optional int64 V", "{\"name\":\"V\",\"type\":\"long\",\"default\":7}", (Object) null))
                .containsExactly("{\"ID\":\"r0\",\"V\":7}");
        assertThat(outcomes("optional int64 V", "{\"name\":\"V\",\"type\":\"long\"}", (Object) null))
                .containsExactly("! field 'V' is missing a value");
        // an optional string column's null is no value; its empty string is the empty string
        assertThat(outcomes("optional binary V (STRING)", "{\"name\":\"V\",\"type\":[\"null\",\"string\"]}", "", null))
                .containsExactly("{\"ID\":\"r0\",\"V\":\"\"}", "{\"ID\":\"r1\",\"V\":null}");
    }

    @Test
    void columnsThatDoNotFitTheSchemaFailTheFileNamingTheColumn() {
        String field = "{\"name\":\"V\",\"type\":[\"null\",\"string\"],\"default\":null}";
        assertThat(refused("message m { required binary ID (STRING); optional group V { optional binary a (STRING); } }",
                field)).hasMessage("File " + URI + ": column 'V' is nested (a group, list or map); Intake reads flat "
                + "Parquet files, one column per field");
        assertThat(refused("message m { required binary ID (STRING); repeated binary V (STRING); }", field))
                .hasMessage("File " + URI + ": column 'V' is repeated (a list); Intake reads one value per field");
        assertThat(refused("message m { required binary ID (STRING); optional int96 V; }", field))
                .hasMessage("File " + URI + ": column 'V' has a Parquet type Intake does not read (INT96)");
        assertThat(refused("message m { required binary ID (STRING); optional binary W (STRING); }", field))
                .hasMessage("The columns of " + URI + " do not match the dataset schema: column 'W' is not a field of the "
                        + "dataset schema (fields: ID, V)");
        assertThat(refused("message m { optional binary V (STRING); }", field))
                .hasMessage("The columns of " + URI + " do not match the dataset schema: required field 'ID' has no column");
    }

    @Test
    void everyCodecParquetWritersUseIsRead() throws Exception {
        for (CompressionCodecName codec : List.of(CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY,
                CompressionCodecName.GZIP, CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW)) {
            byte[] file = ParquetFiles.write("message m { required binary ID (STRING); optional int64 N; }", 100, codec, 300,
                    (i, g) -> {
                        g.add("ID", "row-" + i + "-" + "x".repeat(i % 17));
                        g.add("N", (long) i * i);
                    });
            RecordSchema schema = schema("{\"name\":\"N\",\"type\":\"long\"}");
            List<RawRow> rows = read(file, schema, 0, file.length);
            assertThat(rows).as("%s", codec).hasSize(300);
            assertThat(rows.get(299).values()).as("%s", codec).containsEntry("ID", "row-299-" + "x".repeat(299 % 17))
                    .containsEntry("N", 299L * 299);
        }
    }

    @Test
    void rowGroupsAreReadOnceByTheRangeHoldingTheirMidpointWhereverTheFileIsCut() throws Exception {
        byte[] file = ParquetFiles.write("message m { required binary ID (STRING); required int64 N; }", 50,
                CompressionCodecName.UNCOMPRESSED, 1000, (i, g) -> {
                    g.add("ID", "r" + i);
                    g.add("N", (long) i);
                });
        RecordSchema schema = schema("{\"name\":\"N\",\"type\":\"long\"}");
        for (long cut : new long[] {97, 1000, 4096, file.length / 3, file.length}) {
            List<RawRow> all = new ArrayList<>();
            int rangesWithRows = 0;
            for (long start = 0; start < file.length; start += cut) {
                List<RawRow> part = read(file, schema, start, Math.min(file.length, start + cut));
                rangesWithRows += part.isEmpty() ? 0 : 1;
                all.addAll(part);
            }
            assertThat(all).as("cut %d", cut).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(all.get(i).line()).as("cut %d", cut).isEqualTo(i + 1); // the row's number in the file
                assertThat(all.get(i).values()).containsEntry("N", (long) i);
            }
            if (cut <= 97) { // smaller than a row group: each range holds at most one midpoint
                assertThat(rangesWithRows).as("cut %d", cut).isEqualTo(20); // 20 row groups of 50 rows
            }
        }
    }

    @Test
    void aDamagedOrTruncatedFileFailsNamingTheFile() {
        byte[] file = ParquetFiles.write("message m { required binary ID (STRING); required int64 N; }", 50,
                CompressionCodecName.SNAPPY, 200, (i, g) -> {
                    g.add("ID", "r" + i);
                    g.add("N", (long) i);
                });
        RecordSchema schema = schema("{\"name\":\"N\",\"type\":\"long\"}");
        byte[] truncated = Arrays.copyOf(file, file.length - 100);
        assertThatThrownBy(() -> read(truncated, schema, 0, truncated.length)).isInstanceOf(ImportFailedException.class)
                .hasMessage("Could not read " + URI + " as Parquet: it does not end with Parquet's magic number PAR1 "
                        + "(not a Parquet file, or cut short)");
        byte[] csv = "ID,N\nr1,1\n".getBytes(UTF_8);
        assertThatThrownBy(() -> read(csv, schema, 0, csv.length)).isInstanceOf(ImportFailedException.class)
                .hasMessage("Could not read " + URI + " as Parquet: it is 10 bytes long, too short for a Parquet file "
                        + "(12 bytes at least)");
        byte[] damaged = file.clone();
        for (int i = 4; i < damaged.length / 2; i++) {
            damaged[i] = (byte) 0xA5; // the first row groups' pages
        }
        assertThatThrownBy(() -> read(damaged, schema, 0, damaged.length)).isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("Could not read " + URI + " as Parquet: ");
        byte[] badFooter = file.clone();
        badFooter[badFooter.length - 5] = 0x7f; // footer length beyond the file
        assertThatThrownBy(() -> read(badFooter, schema, 0, badFooter.length)).isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("Could not read " + URI + " as Parquet: its footer length ");
    }

    @Test
    void aFileWithNoRowsHasNoRowsButItsColumnsAreStillChecked() throws Exception {
        byte[] empty = ParquetFiles.write("message m { required binary ID (STRING); required int64 N; }", 50,
                CompressionCodecName.SNAPPY, 0, (i, g) -> { });
        assertThat(read(empty, schema("{\"name\":\"N\",\"type\":\"long\"}"), 0, empty.length)).isEmpty();
        assertThatThrownBy(() -> read(empty, schema("{\"name\":\"N\",\"type\":\"boolean\"}"), 0, empty.length))
                .isInstanceOf(ImportFailedException.class).hasMessageContaining("column 'N' (INT64) cannot be read");
    }

    @Test
    void theObjectIsReadByBoundedRangesOfTheVersionPlanned() throws Exception {
        byte[] file = ParquetFiles.write("message m { required binary ID (STRING); required int64 N; }", 100,
                CompressionCodecName.SNAPPY, 5000, (i, g) -> {
                    g.add("ID", "r" + i);
                    g.add("N", (long) i);
                });
        OneObject store = new OneObject(file);
        try (ParquetRowReader reader = ParquetRowReader.open(store, "b", "k.parquet", "etag", file.length, URI,
                0, file.length, schema("{\"name\":\"N\",\"type\":\"long\"}"), Set.of())) {
            int n = 0;
            while (reader.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(5000);
        }
        assertThat(store.ranges).allSatisfy(r -> assertThat(r[1]).isLessThanOrEqualTo(file.length).isGreaterThan(r[0]));
        assertThat(store.ranges.size()).isLessThan(10); // the footer and the row groups, not a request per read
    }

    @Test
    void theStoresFailuresStayTheStoresSoTheyAreRetriedNotBlamedOnTheFile() throws Exception {
        byte[] file = ParquetFiles.write("message m { required binary ID (STRING); required int64 N; }", 100,
                CompressionCodecName.SNAPPY, 1000, (i, g) -> {
                    g.add("ID", "r" + i);
                    g.add("N", (long) i);
                });
        RecordSchema schema = schema("{\"name\":\"N\",\"type\":\"long\"}");
        // throttled once the footer is read: the row group's read fails as the store's (transient) failure
        OneObject throttled = new OneObject(file) {
            @Override
            public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
                if (ranges.size() >= 2) { // the footer's two reads (its length, then itself) went through
                    throw new dev.intake.core.ports.ObjectStoreException("SlowDown", true, null);
                }
                return super.open(bucket, key, start, endExclusive, etag);
            }
        };
        try (ParquetRowReader reader = ParquetRowReader.open(throttled, "b", "k.parquet", "etag", file.length, URI, 0,
                file.length, schema, Set.of())) {
            assertThatThrownBy(reader::next).isInstanceOf(dev.intake.core.ports.ObjectStoreException.class)
                    .hasMessage("SlowDown");
        }
        // a connection dropped mid-body: an IOException (the chunk is retried), not a damaged file
        OneObject dropped = new OneObject(file) {
            @Override
            public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
                InputStream body = super.open(bucket, key, start, endExclusive, etag);
                return ranges.size() <= 2 ? body : new java.io.FilterInputStream(body) {
                    @Override
                    public int read(byte[] b, int off, int len) throws java.io.IOException {
                        throw new java.io.IOException("Connection reset");
                    }
                };
            }
        };
        try (ParquetRowReader reader = ParquetRowReader.open(dropped, "b", "k.parquet", "etag", file.length, URI, 0,
                file.length, schema, Set.of())) {
            assertThatThrownBy(reader::next).isInstanceOf(java.io.IOException.class).isNotInstanceOf(ImportFailedException.class)
                    .hasMessageContaining("Connection reset");
        }
    }

    @Test
    void readsRowsWithoutHadoop() throws Exception {
        byte[] file = ParquetFiles.write("message m { required binary ID (STRING); optional int64 N; }", 10,
                CompressionCodecName.SNAPPY, 25, (i, g) -> {
                    g.add("ID", "r" + i);
                    if (i % 2 == 0) {
                        g.add("N", (long) i);
                    }
                });
        RecordSchema schema = RecordSchema.parse("""
                {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"N","type":["null","long"]}]}""",
                List.of("ID"));
        List<RawRow> rows = read(file, schema, 0, file.length);
        assertThat(rows).hasSize(25);
        assertThat(rows.get(0).line()).isEqualTo(1);
        assertThat(rows.get(24).line()).isEqualTo(25);
        assertThat(rows.get(4).values()).containsEntry("ID", "r4").containsEntry("N", 4L);
        assertThat(rows.get(5).values()).containsEntry("N", null);
    }
}
