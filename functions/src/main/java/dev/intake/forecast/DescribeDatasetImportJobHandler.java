package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import java.time.Instant;
import java.util.Set;

/** Forecast DescribeDatasetImportJob (no FieldStatistics or EstimatedTimeRemainingInMinutes: the engine computes neither yet). */
public final class DescribeDatasetImportJobHandler extends ForecastOperation {
    public DescribeDatasetImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetImportJobHandler(Services services) {
        super(services, "DescribeDatasetImportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var found = ImportSettings.find(services, store(), arns.importJob(text(request, "DatasetImportJobArn")));
        return ForecastViews.describe(found.job(), found.settings(), arns, Instant.now());
    }
}
