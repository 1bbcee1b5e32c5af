package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;

/** One file's bytes, read by range: how a chunk reads its object without reading the rest. */
public interface ByteRanges {
    long size();

    /** Bytes [from, to) of the file, {@code 0 <= from <= to <= size()}. */
    InputStream open(long from, long to) throws IOException;
}
