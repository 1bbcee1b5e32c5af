package dev.intake.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 text read one char at a time with one char of look-ahead, through fixed-size buffers.
 *
 * <p>Bytes that are not valid UTF-8 come out as {@link #INVALID}, one per malformed sequence, never
 * as a replacement character: the reader fails the row they are in (two distinct keys must not
 * collapse into one U+FFFD). A malformed sequence never swallows an ASCII byte, so record
 * boundaries stay where {@link ChunkSplitter} finds them on bytes.
 */
final class CharCursor implements Closeable {
    /** What {@link #read()} returns for bytes that are not valid UTF-8. */
    static final int INVALID = -2;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024).flip();
    private final char[] buffer = new char[8192];
    /** Which chars of {@link #buffer} stand for invalid bytes. */
    private final boolean[] invalid = new boolean[buffer.length];
    private int position;
    private int limit;
    private boolean endOfBytes;
    private boolean flushed;

    CharCursor(InputStream in) {
        this.in = in;
    }

    /** The next char, {@link #INVALID}, or -1 at the end. */
    int read() throws IOException {
        if (position >= limit && !fill()) {
            return -1;
        }
        int at = position++;
        return invalid[at] ? INVALID : buffer[at];
    }

    /** What {@link #read()} would return, without consuming it. */
    int peek() throws IOException {
        if (position >= limit && !fill()) {
            return -1;
        }
        return invalid[position] ? INVALID : buffer[position];
    }

    private boolean fill() throws IOException {
        java.util.Arrays.fill(invalid, 0, limit, false);
        position = 0;
        limit = 0;
        if (flushed) {
            return false;
        }
        CharBuffer out = CharBuffer.wrap(buffer);
        while (out.hasRemaining()) {
            if (!endOfBytes && bytes.remaining() < 4) {
                readBytes(); // a few bytes ahead, so a character is seldom split between reads
            }
            CoderResult result = decoder.decode(bytes, out, endOfBytes);
            if (result.isError()) {
                if (!out.hasRemaining()) {
                    break; // no room to say so: the next fill meets the same bytes again
                }
                bytes.position(bytes.position() + result.length());
                invalid[out.position()] = true;
                out.put('\uFFFD');
            } else if (result.isOverflow()) {
                break;
            } else if (endOfBytes) {
                decoder.flush(out);
                flushed = true;
                break;
            } else {
                readBytes(); // the rest of a character is still to come
            }
        }
        limit = out.position();
        return limit > 0;
    }

    private void readBytes() throws IOException {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfBytes = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } finally {
            bytes.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
