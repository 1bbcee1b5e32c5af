package dev.intake.core.ports;

import dev.intake.core.DataSource;
import java.util.List;
import java.util.Optional;

/** Where saved data sources live. */
public interface DataSourceStore {
    /** @throws dev.intake.core.IntakeException ALREADY_EXISTS if the name is taken */
    void create(DataSource source);

    Optional<DataSource> find(String name);

    /** Data sources by name, after {@code startAfter} (exclusive, null for the first page). */
    Page<DataSource> list(String startAfter, int limit);

    /**
     * Replaces a data source, if it is still the version the change was made from
     * ({@code expectedVersion}; the replacement carries the next one).
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND if it is gone, CONFLICT if it changed meanwhile
     */
    void update(DataSource source, long expectedVersion);

    /** Removes it; nothing happens if it is gone already. */
    void delete(String name);

    /**
     * Every data source, in name order: few enough to read at once (the S3 trigger matches an
     * arriving object against them, the local scheduler loads their schedules at start).
     */
    List<DataSource> all();
}
