package dev.intake.local.store;

import dev.intake.core.ports.ForecastStore;
import dev.intake.core.ports.Page;
import java.time.Instant;
import java.util.Optional;

/** The Forecast dialect's documents in the embedded database (table forecast_resources). */
public final class SqliteForecastStore implements ForecastStore {
    private final SqliteDocuments<Kind, Entry> documents;

    public SqliteForecastStore(SqliteDatabase db) {
        this.documents = new SqliteDocuments<>(db, "forecast_resources", Kind::valueOf,
                (kind, name) -> (kind == Kind.DATASET_GROUP ? "Dataset group '" : "Import job '") + name + "'", Entry::new);
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
    public Page<Entry> list(Kind kind, String startAfter, int limit) {
        return documents.list(kind, startAfter, limit, Entry::name);
    }

    @Override
    public void update(Kind kind, String name, String document, long expectedVersion, Instant at) {
        documents.update(kind, name, document, expectedVersion, at);
    }

    @Override
    public void delete(Kind kind, String name) {
        documents.delete(kind, name);
    }
}
