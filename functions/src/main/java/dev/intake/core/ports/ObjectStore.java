package dev.intake.core.ports;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Object storage (S3). Failures to reach data surface as {@link ObjectStoreException}. */
public interface ObjectStore {
    /** Every object under the prefix, sorted by key. */
    List<StoredObject> list(String bucket, String prefix);

    Optional<StoredObject> head(String bucket, String key);

    /**
     * Bytes [start, endExclusive) of an object, only if it still has the given ETag (null: any):
     * a file replaced during an import fails it instead of mixing two versions.
     */
    InputStream open(String bucket, String key, long start, long endExclusive, String etag);

    void put(String bucket, String key, byte[] body, String contentType);
}
