package dev.intake.core.ports;

import java.time.Instant;
import java.util.Optional;

/**
 * What Amazon Forecast's dialect keeps beside the engine's datasets and jobs: its dataset groups,
 * and the settings of the import jobs it started (timestamp format, time zone, ...). Each entry is
 * one document, opaque here (the dialect writes and reads it), under a kind and a name, with a
 * version for conditional updates.
 */
public interface ForecastStore {
    enum Kind {
        /** A Forecast dataset group, by its name. */
        DATASET_GROUP,
        /** The Forecast-only settings of an import job, by the engine's job name. */
        IMPORT_JOB
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
