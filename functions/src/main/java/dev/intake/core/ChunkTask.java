package dev.intake.core;

import dev.intake.core.format.DataFormat;

/**
 * One unit of ingest work: a byte range of one file, cut without looking at its bytes; the chunk
 * reads the records that start in it, finding the record boundaries itself (see
 * {@link dev.intake.core.format.ChunkRecords}).
 *
 * @param index     position of the chunk in the import (file order, then offset); orders rows so
 *                  that the last row of a repeated key wins
 * @param end       exclusive end offset (of the stored object; a gzip file is always one whole chunk)
 * @param firstLine the number its rows' lines count from: 1 at the start of the file; 2 after it (the
 *                  lines before it are unknown until its file's chunks have run: Finish renumbers)
 * @param etag      the object's ETag when the import was planned; reading any other version fails
 * @param objectSize the object's size when planned: where its last chunk ends, and how far past
 *                  {@code end} a chunk may read to find its boundary or judge a record
 */
public record ChunkTask(int index, String bucket, String key, DataFormat format, boolean gzip,
                        long start, long end, long firstLine, String etag, long objectSize) {
    public String file() {
        return DataLocation.uri(bucket, key);
    }
}
