package dev.intake.core.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an uncompressed file into chunks of about a target size, each starting and ending at a
 * record boundary, in one pass over its bytes with constant memory.
 *
 * <p>It works on bytes, not chars: in UTF-8 every byte of a multi-byte character is >= 0x80, so CR,
 * LF and {@code "} bytes are always those characters. Record boundaries and line counting follow
 * {@link CsvRowReader} exactly (a CSV record ends at LF, CRLF or a lone CR outside quotes; every
 * line break counts, inside quotes too), and for JSON Lines every LF ends a record.
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

    // A header record that is too long in chars can be up to 3 bytes a char in UTF-8.
    private static final int MAX_HEADER_BYTES = 3 * RowReaders.MAX_RECORD_CHARS + 1024;
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final boolean csv;
    private final long targetChunkBytes;
    private final List<Chunk> chunks = new ArrayList<>();
    private long position;
    private long line = 1;
    private boolean inQuotes;
    private boolean previousWasCr;
    private long chunkStart;
    private long chunkFirstLine = 1;

    // CSV only, until the header record has been seen: its bytes (with any blank lines before it).
    private ByteArrayOutputStream headerBytes;
    private boolean headerHasContent;
    private int leadingBomBytes;
    private List<String> csvHeader = List.of();
    private long headerEndOffset;

    private ChunkSplitter(DataFormat format, long targetChunkBytes) {
        this.csv = format == DataFormat.CSV;
        this.targetChunkBytes = targetChunkBytes;
        this.headerBytes = csv ? new ByteArrayOutputStream() : null;
    }

    public static Split split(DataFormat format, InputStream uncompressedFile, long targetChunkBytes)
            throws IOException {
        if (targetChunkBytes <= 0) {
            throw new IllegalArgumentException("targetChunkBytes must be positive: " + targetChunkBytes);
        }
        ChunkSplitter splitter = new ChunkSplitter(format, targetChunkBytes);
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = uncompressedFile.read(buffer)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                splitter.accept(buffer[i]);
            }
        }
        return splitter.finish();
    }

    private void accept(byte b) throws IOException {
        long offset = position++;
        boolean afterCr = previousWasCr;
        previousWasCr = false;
        if (afterCr && b != '\n' && !inQuotes) {
            recordEnd(offset); // the CR before this byte was a lone CR ending a record
        }
        if (headerBytes != null) {
            appendHeaderByte(offset, b);
        }
        if (b == '"' && csv) {
            inQuotes = !inQuotes; // "" inside quotes toggles twice: still inside
        } else if (b == '\n') {
            if (!afterCr) {
                line++; // CRLF was counted at the CR
            }
            if (!inQuotes) {
                recordEnd(position);
            }
        } else if (b == '\r' && csv) {
            line++;
            previousWasCr = true;
        }
    }

    /** A record boundary at {@code end}: finish the header, or cut a chunk once it is big enough. */
    private void recordEnd(long end) throws IOException {
        if (headerBytes != null) {
            if (!headerIsBlank()) {
                endHeader(end);
            }
        } else if (end - chunkStart >= targetChunkBytes) {
            cut(end);
        }
    }

    private Split finish() throws IOException {
        if (previousWasCr && !inQuotes) {
            recordEnd(position);
        }
        if (headerBytes != null) { // the file ended inside the header record, or is blank
            if (headerIsBlank()) {
                headerBytes = null;
                headerEndOffset = position;
                chunkStart = position;
            } else {
                endHeader(position);
            }
        }
        if (position > chunkStart) {
            cut(position);
        }
        return new Split(csvHeader, headerEndOffset, chunks);
    }

    private void cut(long end) {
        chunks.add(new Chunk(chunkStart, end, chunkFirstLine));
        chunkStart = end;
        chunkFirstLine = line;
    }

    private void appendHeaderByte(long offset, byte b) throws IOException {
        if (headerBytes.size() >= MAX_HEADER_BYTES) {
            throw new IOException("line 1: CSV header " + RowReaders.RECORD_TOO_LONG);
        }
        headerBytes.write(b);
        if (offset == leadingBomBytes && offset < UTF8_BOM.length && b == UTF8_BOM[(int) offset]) {
            leadingBomBytes++;
        } else if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
            headerHasContent = true;
        }
    }

    /** Whether all bytes so far are blank lines (as the reader sees them: a whole BOM is dropped). */
    private boolean headerIsBlank() {
        return !headerHasContent && (leadingBomBytes == 0 || leadingBomBytes == UTF8_BOM.length);
    }

    /** Parses the header with the reader itself, so both agree on its names. */
    private void endHeader(long end) throws IOException {
        byte[] bytes = headerBytes.toByteArray();
        headerBytes = null;
        try (RowReader reader = RowReaders.open(DataFormat.CSV, new ByteArrayInputStream(bytes, 0, (int) end), 1, null)) {
            csvHeader = reader.header();
        }
        headerEndOffset = end;
        chunkStart = end;
        chunkFirstLine = line;
    }
}
