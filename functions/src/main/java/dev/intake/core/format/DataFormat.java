package dev.intake.core.format;

import java.util.Locale;
import java.util.Optional;

/** The record formats an import reads, recognised by the object key's file name. */
public enum DataFormat {
    CSV,
    JSON_LINES,
    /** {@code .parquet}: read by row groups ({@code format.parquet}); never gzip-wrapped, Parquet compresses its pages itself. */
    PARQUET;

    private static final String GZIP_SUFFIX = ".gz";

    /**
     * The format of a file by its name ({@code .csv}, {@code .jsonl}, ... optionally {@code .gz};
     * {@code .parquet}); empty for other files, {@code .parquet.gz} among them (a Parquet file
     * is read by ranges, which a gzip stream does not allow).
     */
    public static Optional<DataFormat> forKey(String objectKey) {
        String name = objectKey.toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return Optional.of(PARQUET);
        }
        if (name.endsWith(GZIP_SUFFIX)) {
            name = name.substring(0, name.length() - GZIP_SUFFIX.length());
        }
        if (name.endsWith(".parquet")) {
            return Optional.empty();
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
