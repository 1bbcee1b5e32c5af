package dev.intake.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 text read one char at a time with one char of look-ahead, through a fixed-size buffer. */
final class CharCursor implements Closeable {
    private final Reader reader;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;

    CharCursor(InputStream in) {
        // Bad bytes are data, not a reason to stop reading: replace them with U+FFFD.
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** The next char, or -1 at the end. */
    int read() throws IOException {
        return position < limit || fill() ? buffer[position++] : -1;
    }

    /** The char {@link #read()} would return, without consuming it. */
    int peek() throws IOException {
        return position < limit || fill() ? buffer[position] : -1;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = reader.read(buffer, 0, buffer.length);
        } while (n == 0);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
