package dev.intake.core;

import java.util.Map;

/** What a caller asks for when starting an import, whatever the dialect. */
public record NewImport(
        String jobName,
        String datasetName,
        String dataLocation,
        ImportMode mode,
        String roleArn,
        Map<String, String> tags,
        boolean publishStatistics,
        Double maxFailedRowsPercent) {
}
