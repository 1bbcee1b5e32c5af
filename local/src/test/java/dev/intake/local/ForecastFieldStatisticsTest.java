package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * FieldStatistics end to end: a known file imported in many chunks through Forecast's API (the SDK's
 * wire form) reads back every statistic as computed directly from the file, in Forecast's Statistics
 * shape (the model-conformance check runs on every answer) and in Intake's DescribeImportJob.
 */
class ForecastFieldStatisticsTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/forecast-reader";
    private static final String ARN = "arn:aws:forecast:us-east-1:000000000000:";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int ROWS = 3_000;
    /** Small chunks: the file is imported in dozens of them, each with statistics of its own. */
    private static final long CHUNK_BYTES = 4_096;

    private static LocalRuntime runtime;
    private static String csv;
    private static final List<Double> demands = new ArrayList<>();
    private static int nullDemands;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(ROLE)
                .withChunkBytes(CHUNK_BYTES));
        StringBuilder file = new StringBuilder("item_id,timestamp,demand,store\n");
        LocalDateTime first = LocalDateTime.of(2025, 1, 1, 6, 30);
        for (int i = 0; i < ROWS; i++) {
            String demand = "";
            if (i % 17 == 0) {
                nullDemands++;
            } else {
                // negative, zero and fractional values; 300 of them, few enough for the sketch to count exactly
                double value = (i * 37 % 300 - 100) / 4.0;
                demands.add(value);
                demand = Double.toString(value);
            }
            String ts = first.plusDays(i / 40).plusHours(i % 40 == 7 ? 1 : 0).toString().replace('T', ' ') + ":00";
            file.append("item").append(i % 40).append(',').append(ts).append(',').append(demand)
                    .append(",s").append(i % 3).append('\n');
            if (i == 1_000 || i == 2_000) {
                file.append("bad").append(i).append(",2025-02-30 00:00:00,1,s0\n"); // fails its row: not counted
            }
        }
        csv = file.toString();
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("stats/demand.csv"),
                RequestBody.fromString(csv, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static JsonNode ok(String operation, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.apiEndpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonForecast." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(operation + " " + response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }

    @Test
    void aFileImportedInManyChunksReadsBackEveryStatisticAsComputedDirectly() throws Exception {
        String dataset = ok("CreateDataset", Map.of("DatasetName", "stats", "Domain", "RETAIL",
                "DatasetType", "TARGET_TIME_SERIES", "DataFrequency", "D", "Schema", Map.of("Attributes", List.of(
                        Map.of("AttributeName", "item_id", "AttributeType", "string"),
                        Map.of("AttributeName", "timestamp", "AttributeType", "timestamp"),
                        Map.of("AttributeName", "demand", "AttributeType", "float"),
                        Map.of("AttributeName", "store", "AttributeType", "string"))))).get("DatasetArn").asText();
        String arn = ok("CreateDatasetImportJob", Map.of("DatasetImportJobName", "stats_import", "DatasetArn", dataset,
                "DataSource", Map.of("S3Config", Map.of("Path", "s3://intake-landing/stats/demand.csv", "RoleArn", ROLE)),
                "TimestampFormat", "yyyy-MM-dd HH:mm:ss")).get("DatasetImportJobArn").asText();

        JsonNode job = awaitEnd(arn);
        assertThat(job.get("Status").asText()).isEqualTo("ACTIVE");
        assertThat(job.has("EstimatedTimeRemainingInMinutes")).as("only while the job runs").isFalse();
        long chunks = runtime.services().jobStore.progress("stats_import").chunks();
        assertThat(chunks).as("chunks").isGreaterThan(20);
        assertThat(runtime.services().jobStore.progress("stats_import").bytes()).isEqualTo(csv.getBytes(StandardCharsets.UTF_8).length);

        JsonNode stats = job.get("FieldStatistics");
        assertThat(stats.properties().stream().map(Map.Entry::getKey).toList())
                .containsExactly("item_id", "timestamp", "demand", "store");
        assertCounts(stats.get("item_id"), ROWS, 40, 0);
        assertThat(stats.get("item_id").has("Min")).isFalse();
        assertThat(stats.get("item_id").has("CountNan")).isFalse();
        assertThat(stats.get("item_id").has("Avg")).isFalse();

        // 75 days at 06:30, and the 8th item an hour later each day
        assertCounts(stats.get("timestamp"), ROWS, 150, 0);
        assertThat(stats.get("timestamp").get("Min").asText()).isEqualTo("2025-01-01T06:30:00Z");
        assertThat(stats.get("timestamp").get("Max").asText()).isEqualTo("2025-03-16T07:30:00Z");
        assertThat(stats.get("timestamp").has("Avg")).isFalse();

        JsonNode demand = stats.get("demand");
        Set<Double> distinct = new HashSet<>(demands);
        assertCounts(demand, demands.size(), distinct.size(), nullDemands);
        assertThat(demand.get("CountNan").asInt()).isZero();
        assertThat(demand.get("CountNanLong").asLong()).isZero();
        assertThat(demand.get("Min").asText()).isEqualTo(Double.toString(demands.stream().mapToDouble(d -> d).min().orElseThrow()));
        assertThat(demand.get("Max").asText()).isEqualTo(Double.toString(demands.stream().mapToDouble(d -> d).max().orElseThrow()));
        double mean = demands.stream().mapToDouble(d -> d).average().orElseThrow();
        double variance = demands.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / demands.size();
        assertThat(demand.get("Avg").asDouble()).isCloseTo(mean, within(1e-9));
        assertThat(demand.get("Stddev").asDouble()).isCloseTo(Math.sqrt(variance), within(1e-9));
        assertThat(demand.get("Min").asText()).isEqualTo("-25.0");
        assertThat(demand.get("Max").asText()).isEqualTo("49.75");

        assertCounts(stats.get("store"), ROWS, 3, 0);

        // Intake's own DescribeImportJob shows the same figures
        JsonNode intake = new ApiClient(runtime.apiEndpoint()).ok("intake", "DescribeImportJob", Map.of(
                "datasetImportJobArn", "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/stats_import"))
                .get("importJob");
        assertThat(intake.get("statistics").get("recordsFailed").asLong()).isEqualTo(2);
        JsonNode own = intake.get("fieldStatistics");
        assertThat(own.get("demand").get("kind").asText()).isEqualTo("real");
        assertThat(own.get("demand").get("count").asLong()).isEqualTo(demands.size());
        assertThat(own.get("demand").get("countDistinct").asLong()).isEqualTo(distinct.size());
        assertThat(own.get("demand").get("countNull").asLong()).isEqualTo(nullDemands);
        assertThat(own.get("demand").get("countNan").asLong()).isZero();
        assertThat(own.get("demand").get("min").asText()).isEqualTo("-25.0");
        assertThat(own.get("demand").get("avg").asDouble()).isEqualTo(demand.get("Avg").asDouble());
        assertThat(own.get("demand").get("stddev").asDouble()).isEqualTo(demand.get("Stddev").asDouble());
        assertThat(own.get("timestamp").get("kind").asText()).isEqualTo("timestamp");
        assertThat(own.get("timestamp").get("max").asText()).isEqualTo("2025-03-16T07:30:00Z");
        assertThat(own.get("item_id").get("kind").asText()).isEqualTo("string");
        assertThat(own.get("item_id").get("countDistinct").asLong()).isEqualTo(40);
    }

    /** Every count both as Integer and as Long, as Forecast answers. */
    private static void assertCounts(JsonNode s, long count, long distinct, long nulls) {
        assertThat(s.get("Count").asLong()).isEqualTo(count);
        assertThat(s.get("CountLong").asLong()).isEqualTo(count);
        assertThat(s.get("CountDistinct").asLong()).isEqualTo(distinct);
        assertThat(s.get("CountDistinctLong").asLong()).isEqualTo(distinct);
        assertThat(s.get("CountNull").asLong()).isEqualTo(nulls);
        assertThat(s.get("CountNullLong").asLong()).isEqualTo(nulls);
    }

    static JsonNode awaitEnd(String arn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = ok("DescribeDatasetImportJob", Map.of("DatasetImportJobArn", arn));
            if (List.of("ACTIVE", "CREATE_FAILED", "CREATE_STOPPED").contains(job.get("Status").asText())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(arn + " did not end");
    }
}
