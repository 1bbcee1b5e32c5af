package dev.intake.local.store;

import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.Page;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The DataZone dialect's documents in the embedded database (table datazone_resources). */
public final class SqliteDataZoneStore implements DataZoneStore {
    private final SqliteDocuments<Kind, Entry> documents;

    public SqliteDataZoneStore(SqliteDatabase db) {
        this.documents = new SqliteDocuments<>(db, "datazone_resources", Kind::valueOf, DataZoneStore::describe, Entry::new);
    }

    @Override
    public void create(Kind kind, String name, String document, Instant at) {
        documents.create(kind, name, document, at);
    }

    @Override
    public Optional<Entry> find(Kind kind, String name) {
        return documents.find(kind, name);
    }

    @Override
    public Page<Entry> list(Kind kind, String prefix, String startAfter, int limit) {
        return documents.list(kind, prefix, startAfter, limit, Entry::name);
    }

    @Override
    public void update(Kind kind, String name, String document, long expectedVersion, Instant at) {
        documents.update(kind, name, document, expectedVersion, at);
    }

    @Override
    public void delete(Kind kind, String name) {
        documents.delete(kind, name);
    }

    @Override
    public void putAll(Kind kind, Map<String, String> entries, Instant at) {
        documents.putAll(kind, entries, at);
    }

    @Override
    public int deleteAll(Kind kind, String prefix) {
        return documents.deleteAll(kind, prefix);
    }
}
