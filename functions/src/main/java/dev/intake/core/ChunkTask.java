package dev.intake.core;

import dev.intake.core.format.DataFormat;

/**
 * One unit of ingest work: a byte range of one file, aligned to record boundaries.
 *
 * @param index     position of the chunk in the import (file order, then offset); orders rows so
 *                  that the last row of a repeated key wins
 * @param end       exclusive end offset (of the stored object; a gzip file is always one whole chunk)
 * @param firstLine file line number at {@code start}
 * @param etag      the object's ETag when the import was planned; reading any other version fails
 * @param objectSize the object's size when planned: how far past {@code end} a CSV record may be read
 */
public record ChunkTask(int index, String bucket, String key, DataFormat format, boolean gzip,
                        long start, long end, long firstLine, String etag, long objectSize) {
    public String file() {
        return DataLocation.uri(bucket, key);
    }
}
