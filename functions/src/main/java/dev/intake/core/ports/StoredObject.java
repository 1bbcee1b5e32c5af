package dev.intake.core.ports;

/** An object as listed: {@code etag} pins the version an import planned with. */
public record StoredObject(String bucket, String key, long size, String etag) {
}
