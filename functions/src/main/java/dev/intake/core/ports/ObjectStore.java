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

    /** A whole object (the engine's own working files). */
    InputStream read(String bucket, String key);

    void put(String bucket, String key, byte[] body, String contentType);

    /** Deletes every object under the prefix (the engine's own working files); nothing there is fine. */
    void deleteAll(String bucket, String prefix);
}
