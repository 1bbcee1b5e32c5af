package dev.intake.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.api.ServiceModel;
import dev.intake.core.stats.FieldKind;
import dev.intake.core.stats.FieldStatistics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field statistics in Forecast's Statistics shape: which members each kind has, and counts beyond Integer. */
class ForecastFieldStatisticsViewTest {
    @Test
    void countsBeyondIntegersRangeAreMinusOneWithTheirLongFormAndUnknownDistinctCountsAreLeftOut() throws Exception {
        Map<String, FieldStatistics> fields = new LinkedHashMap<>();
        fields.put("big", new FieldStatistics(FieldKind.INTEGER, 3_000_000_000L, 2_147_483_647L, 2_147_483_648L, 0,
                -5L, 7L, 1.5, 0.25));
        fields.put("label", new FieldStatistics(FieldKind.STRING, 4, FieldStatistics.UNKNOWN, 0, 0, null, null, null, null));

        JsonNode view = ForecastViews.fieldStatistics(fields);

        assertThat(Json.parse(Json.write(view))).as("as the client reads it").isEqualTo(Json.parse("""
                {"big": {"Count": -1, "CountLong": 3000000000, "CountDistinct": 2147483647, "CountDistinctLong": 2147483647,
                         "CountNull": -1, "CountNullLong": 2147483648, "CountNan": 0, "CountNanLong": 0,
                         "Min": "-5", "Max": "7", "Avg": 1.5, "Stddev": 0.25},
                 "label": {"Count": 4, "CountLong": 4, "CountNull": 0, "CountNullLong": 0}}"""));
    }

    @Test
    void theModelsStringPatternOnMinAndMaxIsWhatTheConformanceViewStandsInFor() throws Exception {
        ServiceModel model = ServiceModel.load("forecast");
        var response = Json.MAPPER.createObjectNode();
        response.set("FieldStatistics", Json.parse("{\"ts\": {\"Min\": \"2025-01-01T06:30:00Z\", \"Max\": \"-25.0\"}}"));
        // as answered, the model's generic String pattern refuses both
        assertThat(model.outputProblems("DescribeDatasetImportJob", response)).hasSize(2);
        JsonNode view = DescribeDatasetImportJobHandler.standInStatistics(response.deepCopy());
        assertThat(model.outputProblems("DescribeDatasetImportJob", view)).isEmpty();
        // anything else is still checked
        response.set("FieldStatistics", Json.parse("{\"ts\": {\"Min\": \"not a number\"}}"));
        assertThat(model.outputProblems("DescribeDatasetImportJob",
                DescribeDatasetImportJobHandler.standInStatistics(response.deepCopy()))).hasSize(1);
    }
}
