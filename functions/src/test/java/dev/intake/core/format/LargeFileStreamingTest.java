package dev.intake.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 50 MB file, generated while it is read: chunks and readers must stream it, never buffer it. */
class LargeFileStreamingTest {
    private static final long ROWS = 50_000_000L / GeneratedCsv.ROW_BYTES;
    private static final long FILE_BYTES = GeneratedCsv.size(ROWS);
    private static final int READ_AHEAD_ALLOWANCE = 64 * 1024;

    /** The generated file by range, counting what is read of it. */
    private static final class Generated implements ByteRanges {
        long bytesRead;

        @Override
        public long size() {
            return FILE_BYTES;
        }

        @Override
        public java.io.InputStream open(long from, long to) {
            bytesRead += to - from;
            return new GeneratedCsv(from, to);
        }
    }

    @Test
    void chunksCutBlindlyReadEveryRowOnceFromTheirRangeAndTwoBoundedWindows() throws IOException {
        long chunkBytes = 4 << 20;
        long expectedRow = 0;
        long lineBreaksBefore = 0;
        for (long start = 0; start < FILE_BYTES; start += chunkBytes) {
            Generated file = new Generated();
            long end = Math.min(FILE_BYTES, start + chunkBytes);
            try (ChunkRecords chunk = ChunkRecords.range(DataFormat.CSV, file, start, end)) {
                assertThat(chunk.header()).containsExactly("id", "name", "note", "score");
                long shift = lineBreaksBefore + 1 - chunk.firstLine();
                for (RawRow row = chunk.next(); row != null; row = chunk.next(), expectedRow++) {
                    if (row.error() != null || Long.parseLong((String) row.values().get("id")) != expectedRow
                            || row.line() + shift != 2 + expectedRow * GeneratedCsv.LINES_PER_ROW) {
                        throw new AssertionError("row " + expectedRow + " read as " + row + " (lines moved by " + shift + ")");
                    }
                }
                lineBreaksBefore += chunk.lineBreaks();
            }
            // its range, a window around each inner end (the record limit and a margin before it, a
            // piece after it) and the header's first piece
            long windows = 2 * (RowReaders.MAX_CSV_RECORD_BYTES + RowReaders.MAX_CSV_RECORD_BYTES / 16 + 2 * 64 * 1024)
                    + 64 * 1024;
            assertThat(file.bytesRead).as("bytes read for the chunk at %d", start).isLessThan(end - start + windows);
        }
        assertThat(expectedRow).isEqualTo(ROWS);
        assertThat(lineBreaksBefore).isEqualTo(1 + ROWS * GeneratedCsv.LINES_PER_ROW);
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
}
