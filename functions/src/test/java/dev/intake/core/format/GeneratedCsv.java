package dev.intake.core.format;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A large CSV file produced on the fly, never held in memory: a header, then fixed-length rows
 * numbered 0, 1, ... each spanning two lines (a quoted field holds a CRLF). Reads a byte range of
 * the file, and allocates nothing while reading.
 */
final class GeneratedCsv extends InputStream {
    static final byte[] HEADER = "id,name,note,score\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROW_TEMPLATE =
            "00000000,name-00000000,\"note, with \"\"quotes\"\"\r\nand a second line\",12.5\n"
                    .getBytes(StandardCharsets.US_ASCII);
    static final int ROW_BYTES = ROW_TEMPLATE.length;
    static final int LINES_PER_ROW = 2;

    private final byte[] row = ROW_TEMPLATE.clone();
    private long rowInBuffer = -1;
    private final long end;
    private long position;

    GeneratedCsv(long rows) {
        this(0, size(rows));
    }

    GeneratedCsv(long start, long end) {
        this.position = start;
        this.end = end;
    }

    static long size(long rows) {
        return HEADER.length + rows * ROW_BYTES;
    }

    /** How far the file has been read. */
    long position() {
        return position;
    }

    @Override
    public int read() {
        return position < end ? byteAt(position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= end) {
            return -1;
        }
        int n = (int) Math.min(length, end - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = byteAt(position++);
        }
        return n;
    }

    private byte byteAt(long at) {
        if (at < HEADER.length) {
            return HEADER[(int) at];
        }
        long rowIndex = (at - HEADER.length) / ROW_BYTES;
        if (rowIndex != rowInBuffer) {
            writeDigits(rowIndex, 0);
            writeDigits(rowIndex, 14);
            rowInBuffer = rowIndex;
        }
        return row[(int) ((at - HEADER.length) % ROW_BYTES)];
    }

    private void writeDigits(long number, int at) {
        for (int i = at + 7; i >= at; i--, number /= 10) {
            row[i] = (byte) ('0' + number % 10);
        }
    }
}
