package dev.intake.core;

/**
 * Deployment settings of the import engine.
 *
 * @param resultsBucket     where error and statistics reports go
 * @param targetChunkBytes  uncompressed files larger than this are split into chunks of about this size
 */
public record EngineSettings(String resultsBucket, long targetChunkBytes) {
    public static final long DEFAULT_CHUNK_BYTES = 64L * 1024 * 1024;
}
