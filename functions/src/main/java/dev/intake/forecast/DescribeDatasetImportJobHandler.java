package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Forecast DescribeDatasetImportJob, with the engine's FieldStatistics once the job is ACTIVE and
 * EstimatedTimeRemainingInMinutes while it runs.
 */
public final class DescribeDatasetImportJobHandler extends ForecastOperation {
    /** Min and Max as Forecast writes them: a decimal number, or an ISO-8601 UTC instant. */
    private static final Pattern STATISTIC = Pattern.compile(
            "-?\\d+(\\.\\d+)?(E-?\\d+)?|-?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** A value the model's String pattern matches, standing in for such a Min or Max in the model's checks. */
    private static final String CHECKED_STATISTIC = "0";

    public DescribeDatasetImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetImportJobHandler(Services services) {
        super(services, "DescribeDatasetImportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var found = ImportSettings.find(services, store(), arns.importJob(text(request, "DatasetImportJobArn")));
        return ForecastViews.describe(found.job(), found.settings(), arns, Instant.now(),
                services.jobs.estimatedMinutesRemaining(found.job()));
    }

    /**
     * The model gives Statistics' Min and Max its generic String shape, whose pattern
     * ({@code [a-zA-Z0-9_]+}) no negative or fractional number and no timestamp matches; Forecast
     * answers {@code "-25.0"} and {@code "1973-01-01T00:00:00Z"} there all the same. So a Min or Max
     * of those forms, within the shape's length, passes the model's checks; anything else does not.
     */
    @Override
    protected JsonNode conformanceView(JsonNode response) {
        return standInStatistics(super.conformanceView(response));
    }

    /** The stand-in of {@link #conformanceView}, on a copy the caller owns. */
    static JsonNode standInStatistics(JsonNode view) {
        view.path("FieldStatistics").forEach(stats -> {
            for (String member : new String[] {"Min", "Max"}) {
                JsonNode value = stats.get(member);
                if (stats instanceof ObjectNode object && value != null && value.isTextual()
                        && value.asText().length() <= 256 && STATISTIC.matcher(value.asText()).matches()) {
                    object.put(member, CHECKED_STATISTIC);
                }
            }
        });
        return view;
    }
}
