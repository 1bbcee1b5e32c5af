package dev.intake.core.ports;

/**
 * Everything the core keeps, as one set of adapters: DynamoDB in AWS, the embedded database
 * locally. Both pass the same contract tests.
 */
public record Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                      DataSourceStore dataSources, ForecastStore forecast, PersonalizeStore personalize,
                      ExportJobStore exports, LookoutStore lookout, DataZoneStore dataZone) {

    /** Storage that keeps nothing of the DataZone dialect's own resources. */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                   DataSourceStore dataSources, ForecastStore forecast, PersonalizeStore personalize,
                   ExportJobStore exports, LookoutStore lookout) {
        this(datasets, jobs, records, signingKeys, dataSources, forecast, personalize, exports, lookout, null);
    }

    /** Storage that keeps no dataset export jobs. */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                   DataSourceStore dataSources, ForecastStore forecast, PersonalizeStore personalize,
                   LookoutStore lookout) {
        this(datasets, jobs, records, signingKeys, dataSources, forecast, personalize, null, lookout, null);
    }

    /** Storage that keeps nothing of the Lookout for Equipment dialect's own resources. */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                   DataSourceStore dataSources, ForecastStore forecast, PersonalizeStore personalize,
                   ExportJobStore exports) {
        this(datasets, jobs, records, signingKeys, dataSources, forecast, personalize, exports, null, null);
    }

    /** Storage that keeps neither export jobs nor the Lookout for Equipment dialect's own resources. */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                   DataSourceStore dataSources, ForecastStore forecast, PersonalizeStore personalize) {
        this(datasets, jobs, records, signingKeys, dataSources, forecast, personalize, null, null, null);
    }

    /** Storage that keeps nothing of the Forecast and Personalize dialects' own resources. */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys,
                   DataSourceStore dataSources) {
        this(datasets, jobs, records, signingKeys, dataSources, null, null);
    }

    /** Storage whose data sources are out of reach (benchmarks and tests that keep none). */
    public Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys) {
        this(datasets, jobs, records, signingKeys, null);
    }
}
