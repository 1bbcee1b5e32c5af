package dev.intake.core.export;

import java.util.Map;

/** What a request to export a dataset asks for (checked by {@link ExportJobService#create}). */
public record NewExport(String name, String dataset, ExportJob.IngestionMode ingestionMode, String roleArn, String path,
                        String kmsKeyArn, Map<String, String> tags) {
}
