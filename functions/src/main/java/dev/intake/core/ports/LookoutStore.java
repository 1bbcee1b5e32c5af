package dev.intake.core.ports;

import java.time.Instant;
import java.util.Optional;

/**
 * What Amazon Lookout for Equipment's dialect keeps beside the engine's datasets and jobs: its view
 * of its datasets (the InlineDataSchema as given, KMS key, tags, last ingestion), its ingestion jobs'
 * settings (S3 input, KeyPattern, discarded files) and its client tokens. Each entry is one document,
 * opaque here (the dialect writes and reads it), under a kind and a name, with a version for
 * conditional updates.
 */
public interface LookoutStore {
    enum Kind {
        /** Lookout's view of a dataset, by the Intake dataset's name. */
        DATASET,
        /** An ingestion job's settings, by its JobId (also the engine's job name). */
        INGESTION_JOB,
        /** A ClientToken seen, by operation and token: the request it came with and what it made. */
        CLIENT_TOKEN;

        /** How messages name an entry of this kind. */
        public String describe(String name) {
            return switch (this) {
                case DATASET -> "Dataset '";
                case INGESTION_JOB -> "Ingestion job '";
                case CLIENT_TOKEN -> "Client token '";
            } + name + "'";
        }
    }

    /** One stored document; {@code version} is 1 when created and grows by one with each update. */
    record Entry(Kind kind, String name, String document, long version, Instant createdAt, Instant updatedAt) {
    }

    /** @throws dev.intake.core.IntakeException ALREADY_EXISTS if the kind has an entry of that name */
    void create(Kind kind, String name, String document, Instant at);

    Optional<Entry> find(Kind kind, String name);

    /** Entries of a kind by name, after {@code startAfter} (exclusive, null for the first page). */
    Page<Entry> list(Kind kind, String startAfter, int limit);

    /**
     * Replaces an entry's document if it is still at {@code expectedVersion}; the entry then has the
     * next version.
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND if it is gone, CONFLICT if it changed meanwhile
     */
    void update(Kind kind, String name, String document, long expectedVersion, Instant at);

    /** Removes an entry; nothing happens if it is gone already. */
    void delete(Kind kind, String name);
}
