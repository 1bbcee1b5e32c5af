package dev.intake.local;

import dev.intake.local.events.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Saved data sources over HTTP on the local runtime, with its schedules on a virtual clock: the test
 * moves the clock and ticks the scheduler (nothing sleeps for a schedule), and sees scheduled runs
 * as ordinary import jobs that say what started them.
 */
class DataSourceSchedulesTest {
    private static final String ARN = "arn:aws:personalize:us-east-1:000000000000:";
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private static LocalRuntime runtime;
    private static ApiClient api;
    private static String datasetArn;


    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0), CLOCK, false);
        api = new ApiClient(runtime.apiEndpoint());
        datasetArn = api.ok("intake", "CreateDataset", Map.of("name", "users", "schema", EndToEndTest.SCHEMA,
                "keyFields", List.of("USER_ID"))).get("datasetArn").asText();
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("crm/users.csv"),
                RequestBody.fromString("USER_ID,AGE,PLAN\nu1,30,free\nu2,40,pro\n", StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    private static int tickAt(String instant) {
        CLOCK.set(Instant.parse(instant));
        return runtime.schedules().tick();
    }

    private static JsonNode job(String name) throws Exception {
        return api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", ARN + "dataset-import-job/" + name))
                .get("importJob");
    }

    private static JsonNode waitForEnd(String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = job(name);
            if (job.get("status").asText().equals("ACTIVE") || job.get("status").asText().equals("CREATE FAILED")) {
                return job;
            }
            Thread.sleep(50); // the import itself runs in real time
        }
        throw new AssertionError("job " + name + " did not finish");
    }

    @Test
    void aScheduleFiresAtItsTimesUntilDisabledAndRunsByHandStillWork() throws Exception {
        CLOCK.set(Instant.parse("2026-11-23T00:00:00Z"));
        Map<String, Object> create = new HashMap<>(Map.of("name", "nightly", "datasetArn", datasetArn,
                "dataLocation", "s3://intake-landing/crm/", "importMode", "FULL",
                "schedule", Map.of("expression", "cron(0 2 * * ? *)", "timeZone", "Europe/Berlin"),
                "tags", List.of(Map.of("tagKey", "team", "tagValue", "crm"))));
        String sourceArn = api.ok("intake", "CreateDataSource", create).get("dataSourceArn").asText();
        assertThat(sourceArn).isEqualTo(ARN + "data-source/nightly");
        JsonNode described = api.ok("intake", "DescribeDataSource", Map.of("dataSourceArn", sourceArn)).get("dataSource");
        assertThat(described.get("schedule").get("expression").asText()).isEqualTo("cron(0 2 * * ? *)");
        assertThat(described.get("schedule").get("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(described.get("enabled").asBoolean()).isTrue();
        assertThat(described.get("datasetArn").asText()).isEqualTo(datasetArn);
        assertThat(described.get("tags").get(0).get("tagKey").asText()).isEqualTo("team");

        // 02:00 in Berlin is 01:00 UTC in November.
        assertThat(tickAt("2026-11-23T00:59:59Z")).as("not yet due").isZero();
        assertThat(tickAt("2026-11-23T01:00:00Z")).isEqualTo(1);
        assertThat(tickAt("2026-11-23T01:00:30Z")).as("once per time").isZero();
        JsonNode first = waitForEnd("nightly-s-20261123-0100");
        assertThat(first.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(first.get("statistics").get("recordsAdded").asLong()).isEqualTo(2);
        assertThat(first.get("startedBy").get("type").asText()).isEqualTo("SCHEDULE");
        assertThat(first.get("startedBy").get("dataSourceName").asText()).isEqualTo("nightly");
        assertThat(first.get("dataSource").get("dataLocation").asText()).isEqualTo("s3://intake-landing/crm/");

        assertThat(tickAt("2026-11-24T01:00:00Z")).isEqualTo(1);
        JsonNode second = waitForEnd("nightly-s-20261124-0100");
        assertThat(second.get("startedBy").get("type").asText()).isEqualTo("SCHEDULE");
        assertThat(second.get("startedBy").get("dataSourceName").asText()).isEqualTo("nightly");

        // Disabled: no more scheduled runs.
        JsonNode disabled = api.ok("intake", "UpdateDataSource", Map.of("dataSourceArn", sourceArn, "enabled", false))
                .get("dataSource");
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("schedule").get("expression").asText()).as("kept").isEqualTo("cron(0 2 * * ? *)");
        assertThat(tickAt("2026-11-25T01:00:00Z")).isZero();
        assertThat(tickAt("2026-11-26T01:00:00Z")).isZero();
        assertThat(api.call("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                ARN + "dataset-import-job/nightly-s-20261125-0100")).errorType()).isEqualTo("ResourceNotFoundException");

        // By hand it still runs.
        String runArn = api.ok("intake", "StartDataSourceRun", Map.of("dataSourceArn", sourceArn))
                .get("datasetImportJobArn").asText();
        String runName = runArn.substring(runArn.lastIndexOf('/') + 1);
        assertThat(runName).matches("nightly-r-20261126-010000-[0-9a-f]{4}");
        JsonNode manual = waitForEnd(runName);
        assertThat(manual.get("startedBy").get("type").asText()).isEqualTo("DATA_SOURCE_RUN");
        assertThat(manual.get("startedBy").get("dataSourceName").asText()).isEqualTo("nightly");

        // Enabled again it fires at its next time, not at the ones it missed.
        api.ok("intake", "UpdateDataSource", Map.of("dataSourceArn", sourceArn, "enabled", true));
        assertThat(runtime.schedules().nextRun("nightly")).isEqualTo(Instant.parse("2026-11-27T01:00:00Z"));

        // Deleted: gone, with its schedule.
        api.ok("intake", "DeleteDataSource", Map.of("dataSourceArn", sourceArn));
        assertThat(api.call("intake", "DescribeDataSource", Map.of("dataSourceArn", sourceArn)).errorType())
                .isEqualTo("ResourceNotFoundException");
        assertThat(runtime.schedules().nextRun("nightly")).isNull();
        assertThat(tickAt("2026-11-27T01:00:00Z")).isZero();
        assertThat(api.call("intake", "StartDataSourceRun", Map.of("dataSourceArn", sourceArn)).errorType())
                .isEqualTo("ResourceNotFoundException");
    }

    @Test
    void updatesChangeAndRemoveTheScheduleAndListingPages() throws Exception {
        String arn = api.ok("intake", "CreateDataSource", Map.of("name", "hourly", "datasetArn", datasetArn,
                "dataLocation", "s3://intake-landing/crm/")).get("dataSourceArn").asText();
        assertThat(runtime.schedules().nextRun("hourly")).as("no schedule").isNull();
        CLOCK.set(Instant.parse("2026-12-01T00:00:00Z"));
        JsonNode updated = api.ok("intake", "UpdateDataSource", Map.of("dataSourceArn", arn,
                "schedule", Map.of("expression", "rate(1 hour)"))).get("dataSource");
        assertThat(updated.get("schedule").get("timeZone").asText()).isEqualTo("UTC");
        assertThat(runtime.schedules().nextRun("hourly")).isEqualTo(Instant.parse("2026-12-01T01:00:00Z"));
        api.ok("intake", "UpdateDataSource", Map.of("dataSourceArn", arn, "removeSchedule", true));
        assertThat(runtime.schedules().nextRun("hourly")).isNull();
        assertThat(api.ok("intake", "DescribeDataSource", Map.of("dataSourceArn", arn)).get("dataSource").has("schedule"))
                .isFalse();

        api.ok("intake", "CreateDataSource", Map.of("name", "hourly-2", "datasetArn", datasetArn,
                "dataLocation", "s3://intake-landing/"));
        JsonNode page = api.ok("intake", "ListDataSources", Map.of("maxResults", 1));
        assertThat(page.get("dataSources")).hasSize(1);
        JsonNode rest = api.ok("intake", "ListDataSources", Map.of("maxResults", 100, "nextToken", page.get("nextToken").asText()));
        assertThat(rest.has("nextToken")).isFalse();
        api.ok("intake", "DeleteDataSource", Map.of("dataSourceArn", arn));
        api.ok("intake", "DeleteDataSource", Map.of("dataSourceArn", ARN + "data-source/hourly-2"));
    }

    @Test
    void badRequestsAreRefusedNamingTheProblemAndLeaveNothing() throws Exception {
        Map<String, Object> base = Map.of("name", "bad", "datasetArn", datasetArn, "dataLocation", "s3://intake-landing/crm/");
        record Case(Map<String, Object> change, String error, String message) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("schedule", Map.of("expression", "cron(0 8 * * MON *)")), "InvalidInputException",
                        "exactly one of day-of-month and day-of-week must be '?'"),
                new Case(Map.of("schedule", Map.of("expression", "rate(1 day)", "timeZone", "Mars/Olympus")),
                        "InvalidInputException", "Time zone 'Mars/Olympus' is not an IANA time zone name"),
                new Case(Map.of("dataLocation", "s3://intake-landing/crm/users.csv"), "InvalidInputException",
                        "A data source's location is a folder"),
                new Case(Map.of("dataLocation", "s3://elsewhere/crm/"), "InvalidInputException",
                        "Imports of this deployment may not read s3://elsewhere/crm/"),
                new Case(Map.of("datasetArn", ARN + "dataset/nope"), "ResourceNotFoundException",
                        "Dataset 'nope' does not exist"),
                new Case(Map.of("name", "a-name-that-is-longer-than-forty-characters-x"), "InvalidInputException",
                        "Member must have length less than or equal to 40"));
        for (Case c : cases) {
            Map<String, Object> request = new HashMap<>(base);
            request.putAll(c.change());
            ApiClient.Reply reply = api.call("intake", "CreateDataSource", request);
            assertThat(reply.status()).as(c.message()).isEqualTo(400);
            assertThat(reply.errorType()).as(c.message()).isEqualTo(c.error());
            assertThat(reply.body().get("message").asText()).contains(c.message());
            assertThat(api.call("intake", "DescribeDataSource", Map.of("dataSourceArn", ARN + "data-source/bad")).errorType())
                    .isEqualTo("ResourceNotFoundException");
        }
        api.ok("intake", "CreateDataSource", base);
        assertThat(api.call("intake", "CreateDataSource", base).errorType()).isEqualTo("ResourceAlreadyExistsException");
        assertThat(api.call("intake", "UpdateDataSource", Map.of("dataSourceArn", ARN + "data-source/bad",
                "removeSchedule", true, "schedule", Map.of("expression", "rate(1 day)"))).body().get("message").asText())
                .isEqualTo("Give either a schedule or removeSchedule, not both");
        assertThat(api.call("intake", "UpdateDataSource", Map.of("dataSourceArn", ARN + "data-source/bad",
                "schedule", Map.of("expression", "rate(1 days)"))).body().get("message").asText())
                .contains("with the value 1 the unit is singular");
        assertThat(runtime.schedules().nextRun("bad")).as("a refused update changed nothing").isNull();
        api.ok("intake", "DeleteDataSource", Map.of("dataSourceArn", ARN + "data-source/bad"));
    }
}
