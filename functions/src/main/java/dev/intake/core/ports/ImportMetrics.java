package dev.intake.core.ports;

import dev.intake.core.ImportJob;
import dev.intake.core.RecordCounts;

/** Operational metrics of imports (CloudWatch in AWS). */
public interface ImportMetrics {
    /** No metrics: where nothing collects them (the local runtime). */
    ImportMetrics NONE = new ImportMetrics() {
        @Override
        public void jobStarted(ImportJob job) {
        }

        @Override
        public void chunkIngested(ImportJob job, RecordCounts counts) {
        }

        @Override
        public void jobEnded(ImportJob job) {
        }

        @Override
        public void storageThrottled(ImportJob job, long requests) {
        }
    };

    void jobStarted(ImportJob job);

    /** A chunk was ingested (once per chunk: a retried chunk that finds its result reports nothing). */
    void chunkIngested(ImportJob job, RecordCounts counts);

    /** A job reached ACTIVE or FAILED. */
    void jobEnded(ImportJob job);

    /**
     * A chunk run (finished or not) had this many storage requests throttled, and retried: a sign
     * that the table's capacity, not the data, limits the import.
     */
    void storageThrottled(ImportJob job, long requests);
}
