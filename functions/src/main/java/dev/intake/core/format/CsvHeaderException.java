package dev.intake.core.format;

import java.io.IOException;

/**
 * A CSV file's header cannot be read (broken quoting, not UTF-8): the file's fault, never the
 * connection's, so retrying cannot help. Reading failures of the bytes themselves stay plain
 * IOExceptions.
 */
public final class CsvHeaderException extends IOException {
    public CsvHeaderException(String message) {
        super(message);
    }
}
