package dev.intake.core.schema;

/**
 * A row that passed validation.
 *
 * @param key       the encoded record key
 * @param canonical the record as canonical JSON (schema field order, typed values)
 * @param hash      a digest of canonical, to tell updated from unchanged without comparing bodies
 * @param bytes     the UTF-8 size of canonical, for DynamoDB's size limits
 */
public record ValidRecord(String key, String canonical, String hash, int bytes) {
}
