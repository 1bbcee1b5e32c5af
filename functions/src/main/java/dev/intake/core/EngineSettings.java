package dev.intake.core;

/**
 * Deployment settings of the import engine.
 *
 * @param resultsBucket      where error and statistics reports go
 * @param targetChunkBytes   uncompressed files larger than this are split into chunks of about this size
 * @param errorReportRows    how many failed rows an error report lists (the first ones, in file and
 *                           line order); the rest are counted
 * @param access             where imports may read from and which roles they may name
 * @param arrivals           how objects arriving in S3 become imports
 */
public record EngineSettings(String resultsBucket, long targetChunkBytes, int errorReportRows, ImportAccess access,
                             ArrivalSettings arrivals) {
    public static final long DEFAULT_CHUNK_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_ERROR_REPORT_ROWS = 1000;

    public EngineSettings {
        if (errorReportRows < 1 || errorReportRows > 100_000) {
            throw new IllegalArgumentException("an error report lists 1 to 100,000 rows, not " + errorReportRows);
        }
        java.util.Objects.requireNonNull(access, "access");
        arrivals = arrivals == null ? new ArrivalSettings(null) : arrivals;
    }

    public EngineSettings(String resultsBucket, long targetChunkBytes, int errorReportRows, ImportAccess access) {
        this(resultsBucket, targetChunkBytes, errorReportRows, access, null);
    }

    public EngineSettings(String resultsBucket, long targetChunkBytes, ImportAccess access) {
        this(resultsBucket, targetChunkBytes, DEFAULT_ERROR_REPORT_ROWS, access);
    }

    /** The same settings with another error-report size. */
    public EngineSettings withErrorReportRows(int rows) {
        return new EngineSettings(resultsBucket, targetChunkBytes, rows, access, arrivals);
    }

    /** The same settings with other arrival settings. */
    public EngineSettings withArrivals(ArrivalSettings settings) {
        return new EngineSettings(resultsBucket, targetChunkBytes, errorReportRows, access, settings);
    }
}
