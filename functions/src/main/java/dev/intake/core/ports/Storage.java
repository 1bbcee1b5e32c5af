package dev.intake.core.ports;

/**
 * Everything the core keeps, as one set of adapters: DynamoDB in AWS, the embedded database
 * locally. Both pass the same contract tests.
 */
public record Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                      DataSourceStore dataSources, ForecastStore forecast) {

    /** Storage that keeps nothing of the Forecast dialect's own (its dataset groups, import settings). */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                   DataSourceStore dataSources) {
        this(datasets, jobs, records, signingKeys, dataSources, null);
    }

    /** Storage whose data sources are out of reach (benchmarks and tests that keep none). */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys) {
        this(datasets, jobs, records, signingKeys, null);
    }
}
