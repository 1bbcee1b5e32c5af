package dev.intake.core.format;

import static dev.intake.core.format.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSplitterTest {

    private static ChunkSplitter.Split split(DataFormat format, String text, long target) throws IOException {
        return ChunkSplitter.split(format, new ByteArrayInputStream(utf8(text)), target);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void csvChunksStartAfterTheHeaderAndNeverCutAQuotedField() throws IOException {
        String csv = "id,note\n"          // bytes 0-7, line 1
                + "1,\"a\nb,\n\"\n"       // bytes 8-17, lines 2-4
                + "2,x\r\n"               // bytes 18-22, line 5
                + "3,\"\"\"\"\n";         // bytes 23-29, line 6

        ChunkSplitter.Split split = split(DataFormat.CSV, csv, 1);

        assertThat(split.csvHeader()).containsExactly("id", "note");
        assertThat(split.headerEndOffset()).isEqualTo(8);
        assertThat(split.chunks()).containsExactly(new Chunk(8, 18, 2), new Chunk(18, 23, 5), new Chunk(23, 30, 6));
    }

    @Test
    void chunksGrowToAboutTheTargetSize() throws IOException {
        String csv = "h\n" + "1234\n".repeat(10); // ten 5-byte records after a 2-byte header

        assertThat(split(DataFormat.CSV, csv, 12).chunks())
                .containsExactly(new Chunk(2, 17, 2), new Chunk(17, 32, 5), new Chunk(32, 47, 8), new Chunk(47, 52, 11));
        assertThat(split(DataFormat.CSV, csv, 1000).chunks()).containsExactly(new Chunk(2, 52, 2));
    }

    @Test
    void csvHeaderSkipsBomAndBlankLinesAndIsTrimmed() throws IOException {
        ChunkSplitter.Split split = split(DataFormat.CSV, "\uFEFF\n \r\n a ,\"b\"\r\n1,2", 1);

        assertThat(split.csvHeader()).containsExactly("a", "b");
        assertThat(split.headerEndOffset()).isEqualTo(16);
        assertThat(split.chunks()).containsExactly(new Chunk(16, 19, 4));
    }

    @Test
    void loneCrEndsCsvRecords() throws IOException {
        assertThat(split(DataFormat.CSV, "a\r1\r2\r", 1).chunks()).containsExactly(new Chunk(2, 4, 2), new Chunk(4, 6, 3));
        assertThat(split(DataFormat.CSV, "a\r1\r\n2", 1).chunks()).containsExactly(new Chunk(2, 5, 2), new Chunk(5, 6, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "\uFEFF", "id,name", "id,name\n", "id,name\r\n", "\nid,\"na\nme\"\r"})
    void emptyOrHeaderOnlyCsvHasNoChunks(String csv) throws IOException {
        ChunkSplitter.Split split = split(DataFormat.CSV, csv, 1);

        assertThat(split.chunks()).isEmpty();
        assertThat(split.headerEndOffset()).isEqualTo(utf8(csv).length);
    }

    @Test
    void unterminatedQuoteInTheHeaderFailsTheFile() {
        assertThatThrownBy(() -> split(DataFormat.CSV, "id,\"name\n1,2\n", 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unterminated quote");
    }

    @Test
    void jsonLinesChunksCutAtAnyNewline() throws IOException {
        String jsonLines = "{\"a\":\"x\"}\n\n{\"a\":2}\r\n{\"a\":3}";

        ChunkSplitter.Split split = split(DataFormat.JSON_LINES, jsonLines, 1);

        assertThat(split.csvHeader()).isEmpty();
        assertThat(split.headerEndOffset()).isZero();
        assertThat(split.chunks()).containsExactly(
                new Chunk(0, 10, 1), new Chunk(10, 11, 2), new Chunk(11, 20, 3), new Chunk(20, 27, 4));
        assertThat(split(DataFormat.JSON_LINES, "", 1).chunks()).isEmpty();
    }

    @Test
    void quotesDoNotMatterInJsonLines() throws IOException {
        assertThat(split(DataFormat.JSON_LINES, "{\"a\":\"\\\"\"}\n{}\n", 1).chunks())
                .containsExactly(new Chunk(0, 11, 1), new Chunk(11, 14, 2));
    }

    @Test
    void splitsGzipThroughTheCallersGzipStream() throws IOException {
        byte[] csv = utf8("id\n1\n2\n3\n");
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(csv);
        }

        ChunkSplitter.Split split = ChunkSplitter.split(DataFormat.CSV,
                new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray())), 4);

        assertThat(split.csvHeader()).containsExactly("id");
        assertThat(split.chunks()).containsExactly(new Chunk(3, 7, 2), new Chunk(7, 9, 4));
    }

    @Test
    void rejectsANonPositiveTarget() {
        assertThatThrownBy(() -> split(DataFormat.CSV, "a\n1\n", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readingCsvChunksGivesTheSameRowsAsReadingTheWholeFile() throws IOException {
        Random random = new Random(20240601);
        for (int file = 0; file < 3000; file++) {
            byte[] csv = utf8(randomCsv(random));
            long target = 1 + random.nextInt(random.nextBoolean() ? 40 : 400);
            // Small record limits make records fail past chunk ends, where readers must read on.
            int maxRecordBytes = random.nextBoolean() ? RowReaders.MAX_CSV_RECORD_BYTES : 8 + random.nextInt(60);
            assertChunksReadLikeTheWholeFile(DataFormat.CSV, csv, target, maxRecordBytes);
        }
    }

    @Test
    void anUnterminatedQuoteEndsItsRecordAtItsLineSoLaterRowsLandInChunks() throws IOException {
        String csv = "id,note\n" + "r1,\"unterminated\n" + "r2,x\n".repeat(5);

        ChunkSplitter.Split split = split(DataFormat.CSV, csv, 1);

        assertThat(split.chunks()).hasSize(6).first().isEqualTo(new Chunk(8, 25, 2));
        assertChunksReadLikeTheWholeFile(DataFormat.CSV, utf8(csv), 1, RowReaders.MAX_CSV_RECORD_BYTES);
    }

    @Test
    void readingJsonLinesChunksGivesTheSameRowsAsReadingTheWholeFile() throws IOException {
        Random random = new Random(7);
        for (int file = 0; file < 100; file++) {
            StringBuilder jsonLines = new StringBuilder();
            for (int line = random.nextInt(30); line > 0; line--) {
                jsonLines.append(pick(random, "{\"a\":1,\"b\":\"x\\ny\"}", "", "  ", "{\"a\":", "[1]", "{\"é\":\"😀\"}", "{}"))
                        .append(pick(random, "\n", "\r\n"));
            }
            assertChunksReadLikeTheWholeFile(DataFormat.JSON_LINES, utf8(jsonLines.toString()), 1 + random.nextInt(60));
        }
    }

    private static void assertChunksReadLikeTheWholeFile(DataFormat format, byte[] file, long target) throws IOException {
        assertChunksReadLikeTheWholeFile(format, file, target, RowReaders.MAX_CSV_RECORD_BYTES);
    }

    /** CSV chunks are read as the ingester reads them: with the bytes after the chunk there if needed. */
    private static void assertChunksReadLikeTheWholeFile(DataFormat format, byte[] file, long target, int maxRecordBytes)
            throws IOException {
        String context = "file " + new String(file, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n")
                + " with target " + target + " and record limit " + maxRecordBytes;
        List<String> header;
        List<RawRow> whole;
        try (RowReader reader = open(format, new ByteArrayInputStream(file), 1, null, Long.MAX_VALUE, maxRecordBytes)) {
            header = reader.header();
            whole = Rows.readAll(reader);
        } catch (IOException badHeader) {
            assertThatThrownBy(() -> ChunkSplitter.split(format, new ByteArrayInputStream(file), target, maxRecordBytes))
                    .as(context).hasMessage(badHeader.getMessage());
            return;
        }

        ChunkSplitter.Split split = ChunkSplitter.split(format, new ByteArrayInputStream(file), target, maxRecordBytes);

        assertThat(split.csvHeader()).as(context).isEqualTo(header);
        List<RawRow> fromChunks = new ArrayList<>();
        long expectedStart = split.headerEndOffset();
        for (Chunk chunk : split.chunks()) {
            assertThat(chunk.start()).as(context).isEqualTo(expectedStart);
            assertThat(chunk.end()).as(context).isGreaterThan(chunk.start());
            expectedStart = chunk.end();
            long readable = format == DataFormat.CSV
                    ? Math.min(file.length, chunk.end() + maxRecordBytes + 16) - chunk.start()
                    : chunk.end() - chunk.start();
            try (RowReader reader = open(format, new ByteArrayInputStream(file, (int) chunk.start(), (int) readable),
                    chunk.firstLine(), split.csvHeader(), chunk.end() - chunk.start(), maxRecordBytes)) {
                fromChunks.addAll(Rows.readAll(reader));
            }
        }
        assertThat(expectedStart).as(context).isEqualTo(split.chunks().isEmpty() ? split.headerEndOffset() : file.length);
        assertThat(fromChunks).as(context).isEqualTo(whole);
    }

    private static RowReader open(DataFormat format, ByteArrayInputStream in, long firstLine, List<String> header,
                                  long chunkLength, int maxRecordBytes) throws IOException {
        return format == DataFormat.CSV
                ? CsvRowReader.open(in, firstLine, header, chunkLength, maxRecordBytes)
                : RowReaders.open(format, in, firstLine, header);
    }

    /** A CSV file mixing every construct: quotes, escaped quotes, commas and newlines in quotes, blank lines. */
    private static String randomCsv(Random random) {
        StringBuilder csv = new StringBuilder(random.nextInt(5) == 0 ? "\uFEFF" : "");
        if (random.nextInt(5) == 0) {
            csv.append(pick(random, "\n", "\r\n", " \n"));
        }
        int columns = 1 + random.nextInt(4);
        for (int c = 0; c < columns; c++) {
            csv.append(c > 0 ? "," : "").append(random.nextBoolean() ? "c" + c : "\"c,\"\"" + c + "\"");
        }
        csv.append(recordEnd(random));
        for (int r = random.nextInt(25); r > 0; r--) {
            if (random.nextInt(8) == 0) {
                csv.append(pick(random, "", " ", "\t")).append(recordEnd(random));
                continue;
            }
            int fields = random.nextInt(10) == 0 ? columns + random.nextInt(3) - 1 : columns;
            for (int f = 0; f < Math.max(fields, 1); f++) {
                csv.append(f > 0 ? "," : "").append(randomField(random));
            }
            csv.append(recordEnd(random));
        }
        if (random.nextInt(4) == 0) { // no trailing newline
            csv.setLength(csv.length() - (csv.toString().endsWith("\r\n") ? 2 : 1));
        }
        if (random.nextInt(15) == 0) {
            csv.append("x,\"unterminated\n, \"\"still open");
        }
        return csv.toString();
    }

    private static String randomField(Random random) {
        if (random.nextInt(12) == 0) { // broken quoting: stray, unterminated, text after the close
            return pick(random, "5'10\" tall", "\"open", "\"a\nb\"c", "\"x\"y", "\"", "a\"\"b", "\"\"\"", "\"a\n\n");
        }
        if (random.nextInt(3) > 0) {
            return pick(random, "", "plain", "1.5", "é😀", " spaced ", "a much longer plain value than the others");
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int piece = random.nextInt(5); piece > 0; piece--) {
            quoted.append(pick(random, "a", ",", "\"\"", "\n", "\r\n", "\r", " ", "é", "😀", "\n\n"));
        }
        return quoted.append('"').toString();
    }

    private static String recordEnd(Random random) {
        return random.nextInt(10) == 0 ? "\r" : random.nextBoolean() ? "\n" : "\r\n";
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
