package dev.intake.core.format;

import java.util.Locale;
import java.util.Optional;

/** The record formats an import reads, recognised by the object key's file name. */
public enum DataFormat {
    CSV,
    JSON_LINES;

    private static final String GZIP_SUFFIX = ".gz";

    /** The format of a file by its name ({@code .csv}, {@code .jsonl}, ... optionally {@code .gz}); empty for other files. */
    public static Optional<DataFormat> forKey(String objectKey) {
        String name = objectKey.toLowerCase(Locale.ROOT);
        if (name.endsWith(GZIP_SUFFIX)) {
            name = name.substring(0, name.length() - GZIP_SUFFIX.length());
        }
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Optional.of(JSON_LINES);
        }
        return Optional.empty();
    }

    public static boolean isGzip(String objectKey) {
        return objectKey.toLowerCase(Locale.ROOT).endsWith(GZIP_SUFFIX);
    }
}
