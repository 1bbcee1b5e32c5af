package dev.intake.local.contract;

import dev.intake.adapters.dynamodb.CapacityMeter;
import dev.intake.adapters.dynamodb.DynamoStorage;
import dev.intake.adapters.dynamodb.TableNames;
import dev.intake.core.ports.Storage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The storage contract on the DynamoDB adapters: on dynalite by default, or on the DynamoDB that
 * {@value DynamoTarget#VARIABLE} names (see {@link DynamoTarget}). Skipped, with the reason, where
 * Node.js is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoContractTest {
    private final ExecutorService writers = Executors.newFixedThreadPool(8);
    private TableNames tables;

    private Storage storage() {
        if (tables == null) {
            tables = DynamoTarget.newTables();
        }
        return DynamoStorage.of(DynamoTarget.client(), tables, writers, new CapacityMeter());
    }

    @AfterAll
    void stopWriters() {
        writers.shutdownNow();
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
            return storage();
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
