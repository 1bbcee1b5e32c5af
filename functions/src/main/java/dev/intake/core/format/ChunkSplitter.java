package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an uncompressed file into chunks of about a target size, each starting and ending at a
 * record boundary, in one pass over its bytes with bounded memory.
 *
 * <p>CSV records are found by {@link CsvScanner}, the grammar the chunk readers run too, so a
 * chunk's reader meets exactly the records the splitter saw. JSON Lines records end at every LF.
 */
public final class ChunkSplitter {
    /**
     * @param csvHeader       the parsed CSV header; empty for JSON Lines (and for an empty file)
     * @param headerEndOffset where the data after the CSV header starts; 0 for JSON Lines
     * @param chunks          the data, in order, each byte in exactly one chunk
     */
    public record Split(List<String> csvHeader, long headerEndOffset, List<Chunk> chunks) {
        public Split {
            csvHeader = List.copyOf(csvHeader);
            chunks = List.copyOf(chunks);
        }
    }

    private final long targetChunkBytes;
    private final List<Chunk> chunks = new ArrayList<>();
    private long chunkStart;
    private long chunkFirstLine = 1;

    private ChunkSplitter(long targetChunkBytes) {
        this.targetChunkBytes = targetChunkBytes;
    }

    public static Split split(DataFormat format, InputStream uncompressedFile, long targetChunkBytes)
            throws IOException {
        return split(format, uncompressedFile, targetChunkBytes, RowReaders.MAX_CSV_RECORD_BYTES);
    }

    static Split split(DataFormat format, InputStream uncompressedFile, long targetChunkBytes, int maxCsvRecordBytes)
            throws IOException {
        if (targetChunkBytes <= 0) {
            throw new IllegalArgumentException("targetChunkBytes must be positive: " + targetChunkBytes);
        }
        ChunkSplitter splitter = new ChunkSplitter(targetChunkBytes);
        return format == DataFormat.CSV
                ? splitter.splitCsv(uncompressedFile, maxCsvRecordBytes)
                : splitter.splitJsonLines(uncompressedFile);
    }

    private Split splitCsv(InputStream in, int maxRecordBytes) throws IOException {
        // The reader reads the header, so both agree on its names; the rest needs boundaries only.
        CsvRowReader reader = CsvRowReader.open(in, 1, null, Long.MAX_VALUE, maxRecordBytes);
        CsvScanner scanner = reader.scanner();
        long headerEnd = scanner.offset();
        chunkStart = headerEnd;
        chunkFirstLine = scanner.line();
        scanner.collectFields(false);
        while (scanner.next()) {
            recordEnd(scanner.recordEnd(), scanner.line());
        }
        finish(scanner.offset(), scanner.line());
        return new Split(reader.header(), headerEnd, chunks);
    }

    private Split splitJsonLines(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long position = 0;
        long line = 1;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                position++;
                if (buffer[i] == '\n') {
                    line++;
                    recordEnd(position, line);
                }
            }
        }
        finish(position, line);
        return new Split(List.of(), 0, chunks);
    }

    /** A record boundary: cut a chunk there once it is big enough. */
    private void recordEnd(long end, long nextLine) {
        if (end - chunkStart >= targetChunkBytes) {
            cut(end, nextLine);
        }
    }

    private void finish(long end, long line) {
        if (end > chunkStart) {
            cut(end, line);
        }
    }

    private void cut(long end, long nextLine) {
        chunks.add(new Chunk(chunkStart, end, chunkFirstLine));
        chunkStart = end;
        chunkFirstLine = nextLine;
    }
}
