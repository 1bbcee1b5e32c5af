package dev.intake.core.ports;

/**
 * What the engine needs to know of a stored record to classify a new row for it, idempotently.
 *
 * @param hash the digest of the stored content
 * @param job  the import that last wrote it
 * @param seq  the position of that row in that import (file order, then row order)
 * @param base the digest of the record before {@code job} first wrote it ("" if it did not exist),
 *             so a retried or duplicated row is compared with the same thing every time
 */
public record StoredRecord(String key, String hash, String job, long seq, String base) {
}
