package dev.intake.core;

/** What went wrong, independent of any dialect; each dialect maps a kind to its own error shape. */
public enum ErrorKind {
    INVALID_INPUT,
    /** The request body is not the JSON the operation takes (wrong type, not JSON at all). */
    SERIALIZATION,
    NOT_FOUND,
    ALREADY_EXISTS,
    IN_USE,
    /** Same idempotency token with other parameters. */
    CONFLICT,
    LIMIT_EXCEEDED,
    /** The request body is larger than any operation takes. */
    PAYLOAD_TOO_LARGE,
    INVALID_NEXT_TOKEN
}
