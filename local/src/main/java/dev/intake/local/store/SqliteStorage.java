package dev.intake.local.store;

import dev.intake.core.ports.Storage;

/** The core's storage on one embedded SQLite database. */
public final class SqliteStorage {
    private SqliteStorage() {
    }

    public static Storage of(SqliteDatabase db) {
        return new Storage(new SqliteDatasetStore(db), new SqliteJobStore(db), new SqliteRecordStore(db),
                new SqliteSigningKeys(db), new SqliteDataSourceStore(db),
                new SqliteForecastStore(db),
                new SqlitePersonalizeStore(db),
                new SqliteExportJobStore(db),
                new SqliteLookoutStore(db),
                new SqliteDataZoneStore(db));
    }
}
