package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `intake local` killed with SIGKILL in the middle of an import, then started again on the same
 * data directory: the job resumes by itself and ends with exactly the counts and records of an
 * import that was never interrupted.
 */
class CrashRecoveryTest {
    private static final String SCHEMA = """
            {"type":"record","name":"Items","fields":[{"name":"ID","type":"string"},{"name":"NAME","type":"string"}]}""";
    private static final int ROWS = 120_000;
    private static final Pattern ENDPOINT = Pattern.compile("\\s+(API|S3):\\s+(http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dataDir;

    /** A running `intake local` in its own JVM, as a user starts it. */
    private record Intake(Process process, URI api, URI s3) {
        static Intake start(Path dataDir) throws IOException {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.intake.local.Main", "local", "--data-dir", dataDir.toString(),
                    "--port", "0", "--s3-port", "0", "--chunk-bytes", "65536").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            URI api = null;
            URI s3 = null;
            for (String line = out.readLine(); line != null && (api == null || s3 == null); line = out.readLine()) {
                Matcher m = ENDPOINT.matcher(line);
                if (m.lookingAt()) {
                    if (m.group(1).equals("API")) {
                        api = URI.create(m.group(2));
                    } else {
                        s3 = URI.create(m.group(2));
                    }
                }
            }
            if (api == null || s3 == null) {
                p.destroyForcibly();
                throw new IllegalStateException("intake local did not start");
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "intake-output");
            drain.setDaemon(true);
            drain.start();
            return new Intake(p, api, s3);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String csv(String suffixOfEven) {
        StringBuilder sb = new StringBuilder(ROWS * 24).append("ID,NAME\n");
        for (int i = 0; i < ROWS; i++) {
            sb.append("id-").append(i).append(",name ").append(i).append(i % 2 == 0 ? suffixOfEven : "").append('\n');
        }
        // A key repeated at the end, as it was: the row before it (in an early chunk) is changed, the
        // last one is not, so the last one wins unchanged and the earlier one is skipped.
        return sb.append("id-1,name 1 last\n").toString();
    }

    private static JsonNode describe(ApiClient api, String job) throws Exception {
        return api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + job)).get("importJob");
    }

    private static JsonNode await(ApiClient api, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode described = describe(api, job);
            String status = described.get("status").asText();
            if (status.equals("ACTIVE") || status.equals("CREATE FAILED")) {
                return described;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(job + " did not end within 3 minutes");
    }

    /** The record as canonical JSON, or null while there is none. */
    private static String record(ApiClient api, String id) throws Exception {
        ApiClient.Reply reply = api.call("intake", "GetRecord", Map.of(
                "datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/items", "key", Map.of("ID", id)));
        return reply.ok() ? reply.body().get("record").toString() : null;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void anImportKilledHalfWayResumesAndCountsExactlyOnce() throws Exception {
        Intake first = Intake.start(dataDir);
        ApiClient api = new ApiClient(first.api());
        String dataset;
        try (S3Client s3 = EmbeddedS3.client(first.s3())) {
            // not in the dataset's landing folder (items/): an arrival batch of its own would race the imports
            s3.putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("crash/base.csv"), RequestBody.fromString(csv("")));
            s3.putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("crash/next.csv"), RequestBody.fromString(csv(" v2")));
        }
        dataset = api.ok("intake", "CreateDataset", Map.of("name", "items", "schema", SCHEMA, "keyFields", List.of("ID")))
                .get("datasetArn").asText();
        api.ok("personalize", "CreateDatasetImportJob", Map.of("jobName", "base", "datasetArn", dataset,
                "dataSource", Map.of("dataLocation", "s3://intake-landing/crash/base.csv"), "importMode", "FULL"));
        assertThat(await(api, "base").get("status").asText()).isEqualTo("ACTIVE");

        api.ok("personalize", "CreateDatasetImportJob", Map.of("jobName", "next", "datasetArn", dataset,
                "dataSource", Map.of("dataLocation", "s3://intake-landing/crash/next.csv"), "importMode", "INCREMENTAL"));
        // Kill it once some of its rows are in and while it is still running.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String statusAtKill = null;
        while (System.nanoTime() < deadline) {
            String early = record(api, "id-0");
            if (early != null && early.contains("v2")) {
                statusAtKill = describe(api, "next").get("status").asText();
                first.kill();
                break;
            }
            Thread.sleep(5);
        }
        assertThat(statusAtKill).as("killed while the import was running").isEqualTo("CREATE IN_PROGRESS");

        Intake second = Intake.start(dataDir);
        try {
            ApiClient again = new ApiClient(second.api());
            JsonNode done = await(again, "next");
            assertThat(done.get("status").asText()).isEqualTo("ACTIVE");
            JsonNode stats = done.get("statistics");
            assertThat(stats.get("recordsAdded").asLong()).isZero();
            assertThat(stats.get("recordsUpdated").asLong()).isEqualTo(ROWS / 2); // the even rows
            assertThat(stats.get("recordsUnchanged").asLong()).isEqualTo(ROWS / 2);
            assertThat(stats.get("recordsSkipped").asLong()).isEqualTo(1);
            assertThat(stats.get("recordsFailed").asLong()).isZero();
            assertThat(record(again, "id-0")).isEqualTo("{\"ID\":\"id-0\",\"NAME\":\"name 0 v2\"}");
            assertThat(record(again, "id-1")).isEqualTo("{\"ID\":\"id-1\",\"NAME\":\"name 1 last\"}");
            assertThat(record(again, "id-" + (ROWS - 2))).isEqualTo("{\"ID\":\"id-" + (ROWS - 2) + "\",\"NAME\":\"name "
                    + (ROWS - 2) + " v2\"}");
            assertThat(record(again, "id-" + (ROWS - 1))).isEqualTo("{\"ID\":\"id-" + (ROWS - 1) + "\",\"NAME\":\"name "
                    + (ROWS - 1) + "\"}");
        } finally {
            second.kill();
        }
    }
}
