package dev.intake.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 50 MB file, generated while it is read: splitting and reading must stream it, never buffer it. */
class LargeFileStreamingTest {
    private static final long ROWS = 50_000_000L / GeneratedCsv.ROW_BYTES;
    private static final long FILE_BYTES = GeneratedCsv.size(ROWS);
    private static final int READ_AHEAD_ALLOWANCE = 64 * 1024;

    @Test
    void splittingAllocatesFarLessThanTheFile() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();

        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        ChunkSplitter.Split split = ChunkSplitter.split(DataFormat.CSV, new GeneratedCsv(ROWS), 4 << 20);
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;

        assertThat(allocated).as("bytes allocated splitting a %d-byte file", FILE_BYTES).isLessThan(8L << 20);
        assertThat(split.csvHeader()).containsExactly("id", "name", "note", "score");
        List<Chunk> chunks = split.chunks();
        assertThat(chunks).hasSizeBetween(11, 13);
        assertThat(chunks.get(0).start()).isEqualTo(GeneratedCsv.HEADER.length);
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(FILE_BYTES);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            long firstRow = (chunk.start() - GeneratedCsv.HEADER.length) / GeneratedCsv.ROW_BYTES;
            assertThat((chunk.start() - GeneratedCsv.HEADER.length) % GeneratedCsv.ROW_BYTES).isZero();
            assertThat(chunk.firstLine()).isEqualTo(2 + firstRow * GeneratedCsv.LINES_PER_ROW);
            if (i > 0) {
                assertThat(chunk.start()).isEqualTo(chunks.get(i - 1).end());
            }
        }
    }

    @Test
    void readingKeepsOnlyABufferAheadOfTheRowReturned() throws IOException {
        GeneratedCsv file = new GeneratedCsv(ROWS);
        long rows = 0;
        long mostReadAhead = 0;
        RawRow last = null;
        try (RowReader reader = RowReaders.open(DataFormat.CSV, file, 1, null)) {
            for (RawRow row = reader.next(); row != null; row = reader.next(), rows++) {
                long rowEnd = GeneratedCsv.size(rows + 1);
                mostReadAhead = Math.max(mostReadAhead, file.position() - rowEnd);
                if (row.error() != null || Long.parseLong((String) row.values().get("id")) != rows) {
                    throw new AssertionError("row " + rows + " read as " + row);
                }
                last = row;
            }
        }
        assertThat(rows).isEqualTo(ROWS);
        assertThat(mostReadAhead).as("bytes read beyond the row returned").isLessThan(READ_AHEAD_ALLOWANCE);
        assertThat(last.line()).isEqualTo(2 + (ROWS - 1) * GeneratedCsv.LINES_PER_ROW);
        assertThat(last.values()).containsEntry("note", "note, with \"quotes\"\r\nand a second line").containsEntry("score", "12.5");
    }

    @Test
    void aChunkInTheMiddleReadsWithFileLineNumbers() throws IOException {
        ChunkSplitter.Split split = ChunkSplitter.split(DataFormat.CSV, new GeneratedCsv(ROWS), 4 << 20);
        Chunk chunk = split.chunks().get(split.chunks().size() / 2);
        long firstRow = (chunk.start() - GeneratedCsv.HEADER.length) / GeneratedCsv.ROW_BYTES;

        long rows = 0;
        try (RowReader reader = RowReaders.open(DataFormat.CSV, new GeneratedCsv(chunk.start(), chunk.end()),
                chunk.firstLine(), split.csvHeader())) {
            for (RawRow row = reader.next(); row != null; row = reader.next(), rows++) {
                if (rows == 0) {
                    assertThat(row.line()).isEqualTo(2 + firstRow * GeneratedCsv.LINES_PER_ROW);
                    assertThat(row.values().get("id")).isEqualTo(String.format("%08d", firstRow));
                }
            }
        }
        assertThat(rows).isEqualTo((chunk.end() - chunk.start()) / GeneratedCsv.ROW_BYTES);
    }
}
