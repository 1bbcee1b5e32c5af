package dev.intake.core.ports;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What Amazon DataZone's dialect keeps beside the engine's saved data sources and jobs: its domains,
 * its view of its data sources, their runs and each run's per-object activities, the client tokens
 * of idempotent calls, and per data source the ETag of each object its runs last imported. Each
 * entry is one document, opaque here (the dialect writes and reads it), under a kind and a name,
 * with a version for conditional updates. Names are built so that a prefix selects one domain's or
 * one data source's entries, in order.
 */
public interface DataZoneStore {
    enum Kind {
        /** A domain, by its id. */
        DOMAIN,
        /** DataZone's view of a data source, by {@code <domain>/<data source>}. */
        DATA_SOURCE,
        /** A data source run, by {@code <domain>/<run>} (a run's id starts with its data source's). */
        RUN,
        /**
         * A run's activity for one object, by {@code <run's name>/<the object's position in the
         * listing, 7 digits>} (so a run's activities list in the order its folder was listed).
         */
        RUN_ACTIVITIES,
        /** What an idempotent call with a client token answered, by {@code <domain>/<operation>/<token>}. */
        CLIENT_TOKEN,
        /**
         * An object a data source's runs imported, with the ETag it had then, by {@code <data source
         * id>/<hash of the key>} (a key may be as long as a name may be).
         */
        SOURCE_OBJECTS
    }

    /** One stored document; {@code version} is 1 when created and grows by one with each update. */
    record Entry(Kind kind, String name, String document, long version, Instant createdAt, Instant updatedAt) {
    }

    /** @throws dev.intake.core.IntakeException ALREADY_EXISTS if the kind has an entry of that name */
    void create(Kind kind, String name, String document, Instant at);

    Optional<Entry> find(Kind kind, String name);

    /**
     * Entries of a kind whose names start with {@code prefix} ("" for all), by name, after
     * {@code startAfter} (exclusive, null for the first page).
     */
    Page<Entry> list(Kind kind, String prefix, String startAfter, int limit);

    /**
     * Replaces an entry's document if it is still at {@code expectedVersion}; the entry then has the
     * next version.
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND if it is gone, CONFLICT if it changed meanwhile
     */
    void update(Kind kind, String name, String document, long expectedVersion, Instant at);

    /** Removes an entry; nothing happens if it is gone already. */
    void delete(Kind kind, String name);

    /**
     * Writes many entries of a kind, each whole (version 1, created and updated at {@code at}),
     * replacing any entry of the same name: for entries nobody updates conditionally, such as one
     * per object, where writing the same documents again is harmless. Batched within the store's
     * limits; each entry is written or not, the whole not atomically.
     */
    void putAll(Kind kind, Map<String, String> documents, Instant at);

    /** Removes every entry of a kind whose name starts with {@code prefix} (not empty); answers how many. */
    int deleteAll(Kind kind, String prefix);

    /** How messages name an entry. */
    static String describe(Kind kind, String name) {
        return switch (kind) {
            case DOMAIN -> "Domain '" + name + "'";
            case DATA_SOURCE -> "Data source '" + name + "'";
            case RUN -> "Data source run '" + name + "'";
            case RUN_ACTIVITIES -> "Data source run activity '" + name + "'";
            case CLIENT_TOKEN -> "Client token '" + name + "'";
            case SOURCE_OBJECTS -> "Imported object '" + name + "'";
        };
    }
}
