package dev.intake.core.ports;

import dev.intake.core.ImportJob;

/** Operational metrics of imports (CloudWatch in AWS). */
public interface ImportMetrics {
    /** No metrics: where nothing collects them (the local runtime). */
    ImportMetrics NONE = new ImportMetrics() {
        @Override
        public void jobStarted(ImportJob job) {
        }

        @Override
        public void jobEnded(ImportJob job) {
        }
    };

    void jobStarted(ImportJob job);

    /** A job reached ACTIVE or FAILED. */
    void jobEnded(ImportJob job);
}
