package dev.intake.core;

/** What went wrong, independent of any dialect; each dialect maps a kind to its own error shape. */
public enum ErrorKind {
    INVALID_INPUT,
    /**
     * The request names something this deployment does not let it use (a data location outside the
     * import sources, a role not allowed); dialects whose operation has no access-denied error in
     * its model answer with their invalid-input error.
     */
    ACCESS_DENIED,
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
    INVALID_NEXT_TOKEN,
    /** A resource would have more tags than allowed (50). */
    TOO_MANY_TAGS,
    /** A request names more tag keys than a resource can have (50). */
    TOO_MANY_TAG_KEYS
}
