package dev.intake.core.ports;

/**
 * Everything the core keeps, as one set of adapters: DynamoDB in AWS, the embedded database
 * locally. Both pass the same contract tests.
 */
public record Storage(DatasetStore datasets, JobStore jobs, RecordStore records, SigningKeys signingKeys) {
}
