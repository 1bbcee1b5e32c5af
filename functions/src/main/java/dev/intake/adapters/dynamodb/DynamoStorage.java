package dev.intake.adapters.dynamodb;

import dev.intake.core.ports.Storage;
import java.util.concurrent.Executor;

/** The core's storage on DynamoDB: the control table (datasets, jobs, settings) and the records table. */
public final class DynamoStorage {
    private DynamoStorage() {
    }

    /**
     * @param writers runs a batch's single-record writes side by side
     * @param meter   sums the capacity the record store's calls report
     */
    public static Storage of(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, TableNames tables,
                             Executor writers, CapacityMeter meter) {
        return new Storage(new DynamoDatasetStore(dynamo, tables.control()), new DynamoJobStore(dynamo, tables.control()),
                new DynamoRecordStore(dynamo, tables.records(), writers, meter),
                new DynamoSigningKeys(dynamo, tables.control()), new DynamoDataSourceStore(dynamo, tables.control()),
                new DynamoForecastStore(dynamo, tables.control()),
                new DynamoPersonalizeStore(dynamo, tables.control()),
                new DynamoExportJobStore(dynamo, tables.control()),
                new DynamoLookoutStore(dynamo, tables.control()),
                new DynamoDataZoneStore(dynamo, tables.control()));
    }
}
