package dev.intake.local.asl;

import java.io.InputStream;

/**
 * Reads an S3 object for a Distributed Map's ItemReader (arn:aws:states:::s3:getObject); locally the
 * runtime's own S3 endpoint, through the same client as everything else.
 */
@FunctionalInterface
public interface ObjectReader {
    /** For executors that run no Distributed Map over S3: every read fails, naming why. */
    ObjectReader NONE = (bucket, key) -> {
        throw new IllegalStateException("this local executor was given no S3 to read items from");
    };

    /**
     * @return the object's content, which the caller closes
     * @throws Exception with a message saying why it cannot be read (no such bucket or key, access, I/O)
     */
    InputStream getObject(String bucket, String key) throws Exception;
}
