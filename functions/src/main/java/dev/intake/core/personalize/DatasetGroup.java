package dev.intake.core.personalize;

import java.time.Instant;

/**
 * A Personalize dataset group: a namespace for at most one dataset of each type.
 *
 * @param status ACTIVE (a group needs nothing provisioned, so it is usable when made)
 */
public record DatasetGroup(String name, String roleArn, String kmsKeyArn, String domain, String status,
                           Instant createdAt, Instant updatedAt) {
    public static final String ACTIVE = "ACTIVE";
}
