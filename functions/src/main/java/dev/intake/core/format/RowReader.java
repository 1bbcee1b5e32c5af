package dev.intake.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Reads a file's records one at a time; closing it closes the input. */
public interface RowReader extends Closeable {
    /** The next record (possibly a malformed one), or null at the end of the input. */
    RawRow next() throws IOException;

    /** The CSV header; empty for JSON Lines. */
    List<String> header();
}
