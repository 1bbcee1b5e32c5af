package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.format.ChunkRecords;
import dev.intake.core.format.DataFormat;
import dev.intake.core.schema.RecordSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChunkIngesterTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"V","type":"string"}]}""",
            List.of("ID"));
    private static final ChunkIngester.Guard RUNNING = wrote -> { };

    private final InMemoryPorts.Records records = new InMemoryPorts.Records();
    private final InMemoryPorts.Objects objects = new InMemoryPorts.Objects();

    private ChunkTask chunk(String csv) {
        objects.put("b", "k.csv", csv);
        return new ChunkTask(0, "b", "k.csv", DataFormat.CSV, false, 0, csv.length(), 1, "etag", csv.length());
    }

    private static String rows(String... idAndValue) {
        StringBuilder csv = new StringBuilder("ID,V\n");
        for (int i = 0; i < idAndValue.length; i += 2) {
            csv.append(idAndValue[i]).append(',').append(idAndValue[i + 1]).append('\n');
        }
        return csv.toString();
    }

    private ChunkIngester.Run full(ChunkIngester ingester, ChunkTask chunk) {
        return ingester.ingest(objects, new ChunkIngester.Target("ds", "job", "gen", "base", true), SCHEMA, chunk, null, RUNNING);
    }

    @Test
    void everyRowOfAFileWithAnUnterminatedQuoteIsCountedWhereverItsChunksAreCut() throws Exception {
        StringBuilder csv = new StringBuilder("ID,V\n");
        for (int i = 1; i <= 1000; i++) {
            csv.append('r').append(i).append(i == 950 ? ",\"unterminated" : ",v" + i).append('\n');
        }
        byte[] file = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        objects.put("b", "k.csv", csv.toString());
        for (long target : new long[] {3, 97, 5_000, 1 << 20}) {
            ChunkIngester ingester = new ChunkIngester(new InMemoryPorts.Records(), 25);
            RecordCounts total = RecordCounts.ZERO;
            List<RowError> errors = new ArrayList<>();
            long lineBreaksBefore = 0;
            for (int i = 0; (long) i * target < file.length; i++) {
                long start = i * target;
                long end = Math.min(file.length, start + target);
                ChunkIngester.Run run = ingester.ingest(objects, new ChunkIngester.Target("ds", "job", "gen", "base", true),
                        SCHEMA, new ChunkTask(i, "b", "k.csv", DataFormat.CSV, false, start, end, start == 0 ? 1 : 2,
                                "etag", file.length), null, RUNNING);
                total = total.plus(run.counts());
                long shift = lineBreaksBefore + 1 - (start == 0 ? 1 : 2); // as Finish numbers a chunk's errors
                run.errors().forEach(e -> errors.add(new RowError(e.file(), e.line() + shift,
                        ChunkRecords.withLinesShifted(e.reason(), shift))));
                lineBreaksBefore += run.lineBreaks();
            }
            if (target < file.length) {
                assertThat(lineBreaksBefore).as("the line breaks of the file's chunks").isEqualTo(1001);
            }
            assertThat(total).as("target %d", target).isEqualTo(new RecordCounts(999, 0, 0, 0, 1));
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(951);
                assertThat(e.reason()).isEqualTo("unterminated quote: the quoted field opened at line 951 is not closed "
                        + "before the end of the file; reading resumed at line 952");
            });
        }
    }

    @Test
    void fieldStatisticsCountEveryValidRowAndNoInvalidOne() {
        RecordSchema schema = RecordSchema.parse("""
                {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"N","type":["null","long"]}]}""",
                List.of("ID"));
        // a repeated key (skipped) still counts; the row whose N is not a number does not
        String csv = "ID,N\na,1\nb,x\na,5\nc,\n";
        ChunkIngester.Run run = new ChunkIngester(records, 25).ingest(objects,
                new ChunkIngester.Target("ds", "job", "gen", "base", true), schema, chunk(csv), null, RUNNING);

        assertThat(run.counts()).isEqualTo(new RecordCounts(2, 0, 0, 1, 1));
        var stats = dev.intake.core.stats.FieldSummaries.merge(List.of(run.fieldStatistics())).statistics();
        assertThat(stats.get("ID").count()).isEqualTo(3);
        assertThat(stats.get("ID").countDistinct()).isEqualTo(2);
        assertThat(stats.get("N")).extracting(s -> s.count(), s -> s.countNull(), s -> s.min(), s -> s.max(), s -> s.avg())
                .containsExactly(2L, 1L, 1L, 5L, 3.0);
    }

    @Test
    void aGzipChunkIsReadToTheEndOfWhatItDecompressesTo() throws Exception {
        StringBuilder csv = new StringBuilder("ID,V\n");
        for (int i = 0; i < 500; i++) {
            csv.append("k").append(i).append(",value number ").append(i).append('\n');
        }
        var compressed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            gzip.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        objects.put("b", "k.csv.gz", compressed.toByteArray(), "application/gzip");
        int size = compressed.size();

        ChunkIngester.Run run = full(new ChunkIngester(records, 25),
                new ChunkTask(0, "b", "k.csv.gz", DataFormat.CSV, true, 0, size, 1, "etag", size));

        assertThat(size).isLessThan(csv.length() / 2);
        assertThat(run.counts()).isEqualTo(new RecordCounts(500, 0, 0, 0, 0));
    }

    @Test
    void aGzipChunkOfMoreRowsThanASeqNumbersFailsTheJobBeforeWritingPastThem() throws Exception {
        StringBuilder csv = new StringBuilder("ID,V\n");
        for (int i = 0; i < 12; i++) {
            csv.append("k").append(i).append(",v\n");
        }
        var compressed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            gzip.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        objects.put("b", "many.csv.gz", compressed.toByteArray(), "application/gzip");
        int size = compressed.size();
        ChunkTask chunk = new ChunkTask(0, "b", "many.csv.gz", DataFormat.CSV, true, 0, size, 1, "etag", size);

        // seq numbers 10 rows here (2^32 in the engine): the 11th would take the next chunk's first seq
        assertThatThrownBy(() -> full(new ChunkIngester(records, 3, Long.MAX_VALUE, 25, 10), chunk))
                .isInstanceOf(ImportFailedException.class)
                .hasMessage("File s3://b/many.csv.gz has more than 10 rows in one chunk (a gzip-compressed file is read as"
                        + " one chunk: split it into several files); the import stopped rather than number its rows wrongly");
        assertThat(records.writes).as("the windows before the 11th row were written (three of 3 rows), none after")
                .hasSize(9);
        assertThat(full(new ChunkIngester(records, 3, Long.MAX_VALUE, 25, 12), chunk).counts().total()).isEqualTo(12);
        assertThat(ChunkIngester.MAX_ROWS_PER_CHUNK).as("what the low 32 bits of a seq number").isEqualTo(1L << 32);
    }

    @Test
    void aChunkReadsTheBytesAfterItsEndOnlyWhenARecordRunsPastIt() {
        String csv = rows("a", "1", "b", "\"open", "c", "3", "d", "4");
        objects.put("b", "k.csv", csv);
        int afterOpen = csv.indexOf("c,3");
        ChunkIngester ingester = new ChunkIngester(records, 25);
        var target = new ChunkIngester.Target("ds", "job", "gen", "base", true);

        ChunkIngester.Run first = ingester.ingest(objects, target, SCHEMA,
                new ChunkTask(0, "b", "k.csv", DataFormat.CSV, false, 5, afterOpen, 2, "etag", csv.length()), null, RUNNING);
        ChunkIngester.Run second = ingester.ingest(objects, target, SCHEMA,
                new ChunkTask(1, "b", "k.csv", DataFormat.CSV, false, afterOpen, csv.length(), 4, "etag", csv.length()),
                null, RUNNING);

        assertThat(first.counts()).isEqualTo(new RecordCounts(1, 0, 0, 0, 1));
        assertThat(first.errors()).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo(
                "unterminated quote: the quoted field opened at line 3 is not closed before the end of the file;"
                        + " reading resumed at line 4"));
        assertThat(second.counts()).isEqualTo(new RecordCounts(2, 0, 0, 0, 0));
        // The first chunk read on into the second's bytes to judge its broken record; the second had no need.
        assertThat(objects.opened).contains("k.csv:" + afterOpen + "-" + csv.length())
                .doesNotContain("k.csv:" + csv.length() + "-" + csv.length());
    }

    @Test
    void aKeyRepeatedWithinTheWindowIsWrittenOnceAndTheLastRowWins() {
        ChunkIngester.Run run = full(new ChunkIngester(records, 25), chunk(rows("a", "1", "b", "1", "a", "2", "a", "3")));
        assertThat(run.counts()).isEqualTo(new RecordCounts(2, 0, 0, 2, 0));
        assertThat(records.writes).hasSize(2);
        assertThat(records.get("ds", "gen", "a")).contains("{\"ID\":\"a\",\"V\":\"3\"}");
        assertThat(records.state("ds", "gen", "a").history()).isEmpty();
    }

    @Test
    void aKeyRepeatedAcrossWindowsKeepsTheRowsItReplacedAndCountsThemSkipped() {
        ChunkIngester.Run run = full(new ChunkIngester(records, 1, Long.MAX_VALUE, 25),
                chunk(rows("a", "1", "x", "1", "a", "2", "y", "1", "a", "3")));
        assertThat(run.counts()).isEqualTo(new RecordCounts(3, 0, 0, 2, 0));
        assertThat(records.writes).hasSize(5);
        var a = records.state("ds", "gen", "a");
        assertThat(a.seq()).isEqualTo(4);
        assertThat(a.history()).containsOnlyKeys(0L, 2L).containsValues(RecordOutcome.ADDED);
        assertThat(records.get("ds", "gen", "a")).contains("{\"ID\":\"a\",\"V\":\"3\"}");

        // The same chunk again (a retry): nothing to write, the same counts.
        records.writes.clear();
        assertThat(full(new ChunkIngester(records, 1, Long.MAX_VALUE, 25), chunk(rows("a", "1", "x", "1", "a", "2", "y", "1", "a", "3")))
                .counts()).isEqualTo(run.counts());
        assertThat(records.writes).isEmpty();
    }

    @Test
    void aKeyRepeatedInMoreWindowsThanAHistoryHoldsFailsThoseRowsWithTheReason() {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i <= ChunkIngester.MAX_HISTORY + 1; i++) {
            cells.add("hot");
            cells.add("v" + i);
        }
        ChunkIngester.Run run = full(new ChunkIngester(records, 1, Long.MAX_VALUE, 25), chunk(rows(cells.toArray(String[]::new))));
        assertThat(run.counts()).isEqualTo(new RecordCounts(1, 0, 0, ChunkIngester.MAX_HISTORY, 1));
        assertThat(run.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(ChunkIngester.MAX_HISTORY + 3L);
            assertThat(e.reason()).isEqualTo("the record key occurs in more than 1000 places of this import that are far "
                    + "apart; de-duplicate the file");
        });
        assertThat(records.get("ds", "gen", "hot")).contains("{\"ID\":\"hot\",\"V\":\"v" + ChunkIngester.MAX_HISTORY + "\"}");
    }

    @Test
    void anIncrementalImportWritesNoUnchangedRowButNotesItsKey() {
        ChunkIngester ingester = new ChunkIngester(records, 25);
        full(ingester, chunk(rows("a", "1", "b", "1")));
        ChunkIngester.Target incremental = new ChunkIngester.Target("ds", "job-2", "gen", "gen", false);
        records.writes.clear();
        ChunkIngester.Run run = ingester.ingest(objects, incremental, SCHEMA, chunk(rows("a", "1", "b", "2", "c", "1")), null,
                RUNNING);
        assertThat(run.counts()).isEqualTo(new RecordCounts(1, 1, 1, 0, 0));
        assertThat(records.writes).extracting(w -> w.key()).containsExactlyInAnyOrder("b", "c");
        assertThat(run.unwritten()).isEqualTo(1);
        assertThat(run.keys().size()).isEqualTo(3);
        var buffer = java.nio.ByteBuffer.wrap(run.keys().toSortedBytes()).asLongBuffer();
        long[] entries = new long[buffer.remaining()];
        buffer.get(entries);
        assertThat(entries).hasSize(3).contains(KeyHashes.of("a") | 1L, KeyHashes.of("b"), KeyHashes.of("c"));

        // In the second pass a contested key is written even though it is unchanged.
        records.writes.clear();
        ChunkIngester.Run second = ingester.ingest(objects, new ChunkIngester.Target("ds", "job-3", "gen", "gen", false), SCHEMA,
                chunk(rows("a", "1", "b", "2")), hash -> hash == KeyHashes.of("a"), RUNNING);
        assertThat(second.counts()).isEqualTo(new RecordCounts(0, 0, 2, 0, 0));
        assertThat(records.writes).extracting(w -> w.key()).containsExactly("a");
        assertThat(second.keys()).as("the second pass collects nothing").isNull();
    }

    @Test
    void theGuardIsAskedBeforeEveryWriteAndStopsAJobThatEnded() {
        AtomicInteger checks = new AtomicInteger();
        ChunkIngester.Guard endsAfterOneWrite = wrote -> {
            if (checks.incrementAndGet() > 1) {
                throw new JobNotRunningException("job");
            }
        };
        ChunkIngester ingester = new ChunkIngester(records, 1, Long.MAX_VALUE, 25);
        assertThatThrownBy(() -> ingester.ingest(objects, new ChunkIngester.Target("ds", "job", "gen", "base", true), SCHEMA,
                chunk(rows("a", "1", "b", "1", "c", "1")), null, endsAfterOneWrite)).isInstanceOf(JobNotRunningException.class);
        assertThat(records.writes).extracting(w -> w.key()).containsExactly("a");
    }

    @Test
    void rowsAreWrittenInBatchesAsLargeAsTheStoreTakes() {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            cells.add("k" + i);
            cells.add("v");
        }
        ChunkIngester.Run run = full(new ChunkIngester(records, 25), chunk(rows(cells.toArray(String[]::new))));
        assertThat(run.counts()).isEqualTo(new RecordCounts(250, 0, 0, 0, 0));
        assertThat(records.batches).as("maxBatch() is 100").containsExactly(100, 100, 50);
    }

    @Test
    void aChunkKeepsItsFirstInvalidRowsUpToTheSettingAndCountsThemAll() {
        ChunkIngester.Run run = full(new ChunkIngester(records, 2),
                chunk("ID,V\na,1\nb,1,x\nc,1\nd,1,x\ne,1,x\nf,1,x\n"));
        assertThat(run.counts()).isEqualTo(new RecordCounts(2, 0, 0, 0, 4));
        assertThat(run.errors()).extracting(RowError::line).containsExactly(3L, 5L);
    }

    @Test
    void countsThatDoNotAddUpToTheRowsReadStopTheImport() {
        ChunkTask chunk = chunk(rows("a", "1"));
        ChunkIngester.requireEveryRowCounted(new RecordCounts(1, 0, 0, 2, 1), 4, chunk);
        assertThatThrownBy(() -> ChunkIngester.requireEveryRowCounted(new RecordCounts(1, 0, 0, 1, 1), 4, chunk))
                .isInstanceOf(ImportFailedException.class)
                .hasMessage("Internal error: chunk 0 of s3://b/k.csv read 4 rows but counted 3; the import stopped rather "
                        + "than report wrong counts");
        assertThat(full(new ChunkIngester(records, 1, Long.MAX_VALUE, 25), chunk(rows("a", "1", "b", "x", "a", "2"))).counts()
                .total()).as("every run checks its own").isEqualTo(3);
    }

    /** A file rule's fields (Lookout's component, from the file's key) go into every row of the file. */
    @Test
    void fieldsTheFilesLocationGivesAreInEveryRowAndARowSayingOtherwiseFails() {
        RecordSchema bySource = RecordSchema.parse("""
                {"type":"record","name":"R","fields":[{"name":"C","type":"string"},{"name":"ID","type":"string"},
                {"name":"V","type":"string"}]}""", List.of("C", "ID"));
        String jsonl = "{\"ID\":\"1\",\"V\":\"a\"}\n{\"ID\":\"2\",\"V\":\"b\",\"C\":\"Pump\"}\n"
                + "{\"ID\":\"3\",\"V\":\"c\",\"C\":\"Fan\"}\n";
        objects.put("b", "Pump/k.jsonl", jsonl);
        ChunkTask chunk = new ChunkTask(0, "b", "Pump/k.jsonl", DataFormat.JSON_LINES, false, 0, jsonl.length(), 1, "etag",
                jsonl.length());
        ChunkIngester.Run run = new ChunkIngester(records, 25).ingest(objects,
                new ChunkIngester.Target("ds", "job", "gen", "base", true), bySource, null, java.util.Map.of("C", "Pump"),
                chunk, null, RUNNING);
        assertThat(run.counts()).isEqualTo(new RecordCounts(2, 0, 0, 0, 1));
        assertThat(records.read("ds", "gen", List.of("Pump\u001f1", "Pump\u001f2", "Fan\u001f3")).keySet())
                .containsExactlyInAnyOrder("Pump\u001f1", "Pump\u001f2");
        assertThat(run.errors()).extracting(RowError::reason)
                .containsExactly("field 'C' is 'Fan' but the file's location gives 'Pump'");
    }
}
