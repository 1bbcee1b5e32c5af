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
 * A file cut anywhere into chunks reads, chunk by chunk, exactly as the whole file reads: the same
 * rows in the same order, each once, with the same line numbers and reasons once a chunk's rows are
 * numbered after the line breaks of the chunks before it (as Finish numbers them).
 */
class ChunkRecordsTest {
    private static final int MAX = RowReaders.MAX_CSV_RECORD_BYTES;

    /** What a read gives: the rows, or the header's failure. */
    private record Read(List<RawRow> rows, String headerFailure) {
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Read whole(DataFormat format, byte[] file, int maxRecordBytes) throws IOException {
        try (ChunkRecords records = ChunkRecords.whole(format, new ByteArrayInputStream(file), maxRecordBytes)) {
            return new Read(Rows.readAll(records), null);
        } catch (CsvHeaderException e) {
            return new Read(null, e.getMessage());
        }
    }

    /** Reads the chunks between the cuts in file order and numbers their rows as the file's. */
    private static Read chunked(DataFormat format, byte[] file, int maxRecordBytes, long... cuts) throws IOException {
        HostileFiles.Bytes bytes = new HostileFiles.Bytes(file);
        List<RawRow> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long lineBreaksBefore = 0;
        for (int i = 0; i <= cuts.length; i++) {
            long start = i == 0 ? 0 : cuts[i - 1];
            long end = i == cuts.length ? file.length : cuts[i];
            try (ChunkRecords chunk = ChunkRecords.range(format, bytes, start, end, maxRecordBytes)) {
                long shift = lineBreaksBefore + 1 - chunk.firstLine();
                for (RawRow row : Rows.readAll(chunk)) {
                    rows.add(new RawRow(row.line() + shift, row.values(),
                            row.error() == null ? null : ChunkRecords.withLinesShifted(row.error(), shift)));
                }
                lineBreaksBefore += chunk.lineBreaks();
            } catch (CsvHeaderException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            // A file with a bad header fails in every chunk, for the same reason.
            assertThat(failures).hasSize(cuts.length + 1).containsOnly(failures.get(0));
            return new Read(null, failures.get(0));
        }
        return new Read(rows, null);
    }

    private static void assertEveryCutReadsLikeTheWholeFile(DataFormat format, byte[] file, int maxRecordBytes,
                                                            boolean pairsToo) throws IOException {
        Read whole = whole(format, file, maxRecordBytes);
        String context = format + " file " + new String(file, StandardCharsets.UTF_8).replace("\r", "\\r")
                .replace("\n", "\\n") + " with record limit " + maxRecordBytes;
        for (long cut = 1; cut < file.length; cut++) {
            assertThat(chunked(format, file, maxRecordBytes, cut)).as(context + ", cut at " + cut).isEqualTo(whole);
            if (pairsToo) {
                for (long second = cut + 1; second < file.length; second++) {
                    assertThat(chunked(format, file, maxRecordBytes, cut, second))
                            .as(context + ", cut at " + cut + " and " + second).isEqualTo(whole);
                }
            }
        }
    }

    private static final List<String> HOSTILE_CSV = List.of(
            "id,note\n1,\"a\nb,\n\"\n2,x\r\n3,\"\"\"\"\n",                     // quoted newlines, "" escapes
            "id,note\n1,\"\"\"\n\"\"\",x\n2,\",\"\n3,\"\r\n\r\n\"\n",             // quotes next to line breaks
            "a\r1\r2\r\n3\n\r\n4\r\r5",                                         // lone CRs, CRLF, CR before CRLF
            "id,note\nr1,\"unterminated\nr2,x\nr3,y\n",                          // never closed
            "id,note\nr1,\"a\nb\"c\nr2,\"x\"y\nr3,5'10\" tall\n",                 // text after the closing quote
            "id,n\n1,\"a\n\"\"\n\"\"\nb\"\n2,\"\n\n\n\"\n",                       // quote at every range edge
            "\uFEFF\n \r\n a ,\"b\"\r\n1,2\n\n\t\n3,4",                         // BOM, blank lines, no final break
            "id,v\né,😀\n\"é\n😀\",\"a😀\r\nb\"\n\"😀\"",                         // multi-byte UTF-8 cut anywhere
            "id,v\n1,\"" + "x".repeat(70) + "\n" + "y".repeat(50) + "\"\n2,\"z\n",  // longer than small record limits
            "id,v\n" + "x".repeat(120) + "\n1,2\n" + "\"\n".repeat(10) + "3,4\n",   // a long line, lines of one quote
            "id,\"name\n1,2\n",                                                 // the header's quote never closed
            "\n\n\n",                                                           // no header at all
            "id,v\n\n\n\n");                                                    // a header and blank lines

    @Test
    void hostileCsvCutAtEveryOffsetAndEveryPairOfOffsetsReadsLikeTheWholeFile() throws IOException {
        for (String csv : HOSTILE_CSV) {
            byte[] file = utf8(csv);
            for (int maxRecordBytes : new int[] {MAX, 8, 20, 40}) {
                assertEveryCutReadsLikeTheWholeFile(DataFormat.CSV, file, maxRecordBytes, file.length <= 80);
            }
        }
    }

    @Test
    void randomCsvCutAtEveryOffsetReadsLikeTheWholeFile() throws IOException {
        Random random = new Random(20261129);
        for (int i = 0; i < 80; i++) {
            byte[] file = utf8(HostileFiles.randomCsv(random));
            // Small record limits make windows shorter than the file and records fail past chunk ends.
            int maxRecordBytes = random.nextBoolean() ? MAX : 8 + random.nextInt(60);
            assertEveryCutReadsLikeTheWholeFile(DataFormat.CSV, file, maxRecordBytes, file.length <= 30);
        }
    }

    @Test
    void jsonLinesCutAtEveryOffsetReadsLikeTheWholeFile() throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 60; i++) {
            byte[] file = utf8(HostileFiles.randomJsonLines(random));
            assertEveryCutReadsLikeTheWholeFile(DataFormat.JSON_LINES, file, MAX, file.length <= 30);
        }
        for (String jsonLines : List.of("\uFEFF{\"a\":1}\n\uFEFF{\"a\":2}\r\n\n{\"é\":\"😀\"}", "\n\n{}\n", "{\"a\":\n1}\n")) {
            byte[] file = utf8(jsonLines);
            assertEveryCutReadsLikeTheWholeFile(DataFormat.JSON_LINES, file, MAX, true);
        }
    }

    /** Record starts as a whole-file read meets them (after the header, for CSV). */
    private static List<Long> wholeFileStarts(DataFormat format, byte[] file, int maxRecordBytes) throws IOException {
        List<Long> starts = new ArrayList<>();
        if (format == DataFormat.JSON_LINES) {
            starts.add(0L);
            for (int i = 0; i < file.length; i++) {
                if (file[i] == '\n') {
                    starts.add(i + 1L);
                }
            }
            return starts;
        }
        try (CsvRowReader reader = CsvRowReader.open(new ByteArrayInputStream(file), 1, null, Long.MAX_VALUE, maxRecordBytes)) {
            CsvScanner scanner = reader.scanner();
            starts.add(scanner.offset());
            while (scanner.next()) {
                starts.add(scanner.recordEnd());
            }
        }
        return starts;
    }

    private static long expectedBoundary(List<Long> starts, long offset, long size) {
        if (offset <= 0) {
            return 0;
        }
        return starts.stream().filter(s -> s >= offset).findFirst().orElse(size);
    }

    private static int assertBoundariesAtEveryOffset(DataFormat format, byte[] file, int maxRecordBytes) throws IOException {
        List<Long> starts = wholeFileStarts(format, file, maxRecordBytes);
        int fallbacks = 0;
        for (long offset = 0; offset <= file.length; offset++) {
            RecordBoundaries boundaries = new RecordBoundaries(format, new HostileFiles.Bytes(file), maxRecordBytes);
            assertThat(boundaries.at(offset)).as("boundary at %d of %s", offset, new String(file, StandardCharsets.UTF_8))
                    .isEqualTo(expectedBoundary(starts, offset, file.length));
            fallbacks += boundaries.fallbacks();
        }
        return fallbacks;
    }

    @Test
    void boundariesAreWhereAWholeFileReadStartsRecords() throws IOException {
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] file = utf8(HostileFiles.randomCsv(random));
            int maxRecordBytes = 8 + random.nextInt(60);
            if (whole(DataFormat.CSV, file, maxRecordBytes).headerFailure() == null) {
                assertBoundariesAtEveryOffset(DataFormat.CSV, file, maxRecordBytes);
            } // a file whose header cannot be read has no boundaries; the chunk tests above cover it
            assertBoundariesAtEveryOffset(DataFormat.JSON_LINES, utf8(HostileFiles.randomJsonLines(random)), MAX);
        }
    }

    @Test
    void whenTheWindowCannotTellTheRecordsAreScannedFromTheHeaderAndTheBoundaryIsStillExact() throws IOException {
        // Lines of one quote: from any line the scanner reads two-line records, so the chains of odd
        // and even lines never meet, and only the bytes before the window say which is true.
        byte[] quotes = utf8("id\n" + "\"\n".repeat(200));
        assertThat(assertBoundariesAtEveryOffset(DataFormat.CSV, quotes, 8)).isGreaterThan(100);
        assertEveryCutReadsLikeTheWholeFile(DataFormat.CSV, quotes, 8, false);
        // A line longer than the window: no line break in it proves where a record starts.
        byte[] longLine = utf8("id\n1\n" + "x".repeat(300) + "\n2\n\"3\n\"\n");
        assertThat(assertBoundariesAtEveryOffset(DataFormat.CSV, longLine, 8)).isGreaterThan(100);
        assertEveryCutReadsLikeTheWholeFile(DataFormat.CSV, longLine, 8, false);
    }

    @Test
    void inTheCommonCaseTheWindowTellsWithoutScanningFromTheHeader() throws IOException {
        StringBuilder csv = new StringBuilder("id,note\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i).append(i % 3 == 0 ? ",\"two\nlines, \"\"quoted\"\"\"\n" : ",plain\r\n");
        }
        assertThat(assertBoundariesAtEveryOffset(DataFormat.CSV, utf8(csv.toString()), 40)).isZero();
    }

    @Test
    void aChunkWhoseRangeHoldsNoRecordStartReadsNothingOfIt() throws IOException {
        byte[] file = utf8("id,v\n1,\"" + "x".repeat(500) + "\"\n2,y\n");
        long boundary = file.length - "2,y\n".length();
        HostileFiles.Bytes bytes = new HostileFiles.Bytes(file);
        try (ChunkRecords chunk = ChunkRecords.range(DataFormat.CSV, bytes, 100, 200)) {
            assertThat(chunk.next()).isNull();
            assertThat(chunk.lineBreaks()).isZero();
            assertThat(chunk.header()).containsExactly("id", "v");
        }
        // the header and the bytes that decide both boundaries (here, scanned from the header), but no records
        assertThat(bytes.opened).isNotEmpty().noneMatch(range -> range.startsWith(boundary + "-"));
    }

    @Test
    void onlyTheReasonsReadersGiveAreRenumbered() {
        assertThat(ChunkRecords.withLinesShifted("unterminated quote: the quoted field opened at line 3 is not closed before "
                + "the end of the file; reading resumed at line 4", 10)).isEqualTo("unterminated quote: the quoted field "
                + "opened at line 13 is not closed before the end of the file; reading resumed at line 14");
        assertThat(ChunkRecords.withLinesShifted("not valid UTF-8 at line 2", 5)).isEqualTo("not valid UTF-8 at line 7");
        String schemaReason = "field 'note' has value 'not valid UTF-8 at line 2', which is not an int";
        assertThat(ChunkRecords.withLinesShifted(schemaReason, 5)).isEqualTo(schemaReason);
        assertThat(ChunkRecords.withLinesShifted("line is not valid JSON: line 3", 5)).isEqualTo("line is not valid JSON: line 3");
    }
}
