package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The main job, end to end on the embedded stack: create a dataset, upload the example files
 * (CSV and gzip JSON Lines, with deliberately bad rows and repeated keys), import them FULL, show
 * progress, print the job as DescribeDatasetImportJob returns it, and check the counts.
 */
final class Demo {
    static final List<String> FILES = List.of("items-1.csv", "items-2.jsonl.gz");
    private final LocalRuntime runtime;
    private final PrintStream out;

    Demo(LocalRuntime runtime, PrintStream out) {
        this.runtime = runtime;
        this.out = out;
    }

    /** @return true if the job ended ACTIVE with the expected counts */
    boolean run() throws Exception {
        ApiClient api = new ApiClient(runtime.apiEndpoint());
        out.println("Intake demo: API " + runtime.apiEndpoint() + ", S3 " + runtime.s3Endpoint() + " (in memory)");

        JsonNode dataset = api.ok("intake", "CreateDataset", Map.of("name", "demo-items",
                "schema", resource("schema.json"), "keyFields", List.of("ITEM_ID")));
        String datasetArn = dataset.get("datasetArn").asText();
        out.println("1. created dataset " + datasetArn);

        for (String file : FILES) {
            byte[] bytes = bytes(file);
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("demo/items/" + file),
                    RequestBody.fromBytes(bytes));
            out.printf(Locale.ROOT, "2. uploaded s3://%s/demo/items/%s (%,d bytes)%n", LocalRuntime.LANDING_BUCKET, file, bytes.length);
        }

        long started = System.nanoTime();
        JsonNode created = api.ok("personalize", "CreateDatasetImportJob", Map.of("jobName", "demo-import",
                "datasetArn", datasetArn, "dataSource", Map.of("dataLocation", "s3://" + LocalRuntime.LANDING_BUCKET + "/demo/items/"),
                "importMode", "FULL"));
        String jobArn = created.get("datasetImportJobArn").asText();
        out.println("3. started import " + jobArn);

        JsonNode job = waitForEnd(api, jobArn, started);
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println("4. DescribeDatasetImportJob:");
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(job));

        JsonNode stats = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", jobArn)).get("importJob");
        out.println("5. statistics (intake/DescribeImportJob):");
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stats.get("statistics")));
        if (stats.has("errorReportLocation")) {
            out.println("   error report: " + stats.get("errorReportLocation").asText());
        }
        JsonNode sample = api.ok("intake", "GetRecord", Map.of("datasetArn", datasetArn, "key", Map.of("ITEM_ID", "item-02300")));
        out.println("6. GetRecord item-02300 (its CSV row was bad, its JSON Lines row won): " + sample.get("record"));

        JsonNode s = stats.get("statistics");
        long rows = s.get("recordsAdded").asLong() + s.get("recordsUpdated").asLong() + s.get("recordsUnchanged").asLong()
                + s.get("recordsSkipped").asLong() + s.get("recordsFailed").asLong();
        out.printf(Locale.ROOT, "7. imported %,d rows in %.2f s: %,.0f rows/s (from CreateDatasetImportJob to ACTIVE)%n",
                rows, seconds, rows / seconds);
        return check(job, s);
    }

    private JsonNode waitForEnd(ApiClient api, String jobArn, long started) throws Exception {
        String last = "";
        while (true) {
            JsonNode job = api.ok("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn", jobArn))
                    .get("datasetImportJob");
            String status = job.get("status").asText();
            if (!status.equals(last)) {
                out.printf(Locale.ROOT, "   %6.2f s  %s%n", (System.nanoTime() - started) / 1e9, status);
                last = status;
            }
            if (status.equals("ACTIVE") || status.equals("CREATE FAILED")) {
                return job;
            }
            if (System.nanoTime() - started > 300e9) {
                throw new IllegalStateException("the import did not finish within 5 minutes");
            }
            Thread.sleep(100);
        }
    }

    private boolean check(JsonNode job, JsonNode stats) throws IOException {
        JsonNode expected = Json.parse(resource("expected-full.json"));
        boolean ok = job.get("status").asText().equals("ACTIVE");
        StringBuilder report = new StringBuilder();
        for (String count : List.of("added", "updated", "unchanged", "skipped", "failed")) {
            String field = "records" + Character.toUpperCase(count.charAt(0)) + count.substring(1);
            long want = expected.get(count).asLong();
            long got = stats.get(field).asLong();
            ok &= want == got;
            report.append(String.format(Locale.ROOT, " %s=%d%s", count, got, want == got ? "" : " (expected " + want + ")"));
        }
        out.println((ok ? "OK: job ACTIVE with the expected counts:" : "FAILED: the job did not end as expected:") + report);
        return ok;
    }

    private static String resource(String name) {
        return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = Demo.class.getResourceAsStream("/examples/items/" + name)) {
            if (in == null) {
                throw new IllegalStateException("example file " + name + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
