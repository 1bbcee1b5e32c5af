package dev.intake.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** A stream opened on its first read, and never if nobody reads it. */
final class LazyInputStream extends InputStream {
    private final Supplier<InputStream> opener;
    private InputStream in;
    private boolean closed;

    LazyInputStream(Supplier<InputStream> opener) {
        this.opener = opener;
    }

    private InputStream in() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (in == null) {
            in = opener.get();
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (in != null) {
            in.close();
        }
    }
}
