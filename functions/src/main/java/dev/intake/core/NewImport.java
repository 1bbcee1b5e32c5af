package dev.intake.core;

import java.util.Map;

/** What a caller asks for when starting an import, whatever the dialect, and what started it. */
public record NewImport(
        String jobName,
        String datasetName,
        String dataLocation,
        ImportMode mode,
        String roleArn,
        Map<String, String> tags,
        boolean publishStatistics,
        Double maxFailedRowsPercent,
        ImportTrigger trigger) {

    public NewImport {
        trigger = trigger == null ? ImportTrigger.API : trigger;
    }

    /** An import asked for by an API call. */
    public NewImport(String jobName, String datasetName, String dataLocation, ImportMode mode, String roleArn,
                     Map<String, String> tags, boolean publishStatistics, Double maxFailedRowsPercent) {
        this(jobName, datasetName, dataLocation, mode, roleArn, tags, publishStatistics, maxFailedRowsPercent,
                ImportTrigger.API);
    }
}
