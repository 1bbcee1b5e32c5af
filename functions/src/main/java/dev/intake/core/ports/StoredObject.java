package dev.intake.core.ports;

public record StoredObject(String bucket, String key, long size) {
}
