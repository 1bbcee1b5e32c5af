package dev.intake.core.personalize;

import java.time.Instant;

/** A Personalize schema: an Avro record schema kept under a name, for datasets to use. */
public record PersonalizeSchema(String name, String schema, String domain, Instant createdAt, Instant updatedAt) {
}
