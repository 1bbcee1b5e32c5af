package dev.intake.local.contract;

import dev.intake.core.ports.Storage;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The storage contract on the embedded adapters: SQLite in a file, as {@code intake local} keeps it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteContractTest {
    private final Path directory;
    private final List<SqliteDatabase> opened = new ArrayList<>();
    private SqliteDatabase db;

    SqliteContractTest() throws IOException {
        directory = Files.createTempDirectory("intake-contract-");
    }

    private synchronized Storage storage() {
        if (db == null) {
            db = open();
        }
        return SqliteStorage.of(db);
    }

    private synchronized SqliteDatabase open() {
        SqliteDatabase database = SqliteDatabase.inDirectory(directory);
        opened.add(database);
        return database;
    }

    @AfterAll
    void close() throws IOException {
        opened.forEach(SqliteDatabase::close);
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Nested
    class Datasets extends DatasetStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Jobs extends JobStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Records extends RecordStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Keys extends SigningKeysContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }

        @Override
        protected Storage sameStorageAgain() {
            return SqliteStorage.of(open()); // a second connection to the same file, as a second process has
        }
    }

    @Nested
    class DataSources extends DataSourceStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Engine extends ImportEngineContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Personalize extends PersonalizeStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class JobListings extends JobListingContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Forecast extends ForecastStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class DataZone extends DataZoneStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Exports extends ExportJobStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }

    @Nested
    class Lookout extends LookoutStoreContract {
        @Override
        protected Storage newStorage() {
            return storage();
        }
    }
}
