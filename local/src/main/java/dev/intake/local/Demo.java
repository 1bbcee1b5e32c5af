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
import java.time.Duration;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The main job, end to end on the embedded stack: create a dataset, upload the example files
 * (CSV and gzip JSON Lines, with deliberately bad rows and repeated keys), import them FULL, show
 * progress, print the job as DescribeDatasetImportJob returns it, and check the counts; then only
 * upload a file into the dataset's folder and watch the import it starts.
 */
final class Demo {
    static final List<String> FILES = List.of("items-1.csv", "items-2.jsonl.gz");
    /**
     * What the second step uploads into the dataset's folder: items 100 to 149 repriced (updated, but
     * item-00100 is added: its only row in items-1.csv had an invalid price) and 50 new items (added).
     */
    static final String UPDATE_FILE = "items-3-update.csv";
    private final LocalRuntime runtime;
    private final PrintStream out;
    /** Whether {@code out} is a terminal, where the progress bar is redrawn in place. */
    private final boolean terminal;

    Demo(LocalRuntime runtime, PrintStream out) {
        this(runtime, out, out == System.out && System.console() != null);
    }

    Demo(LocalRuntime runtime, PrintStream out, boolean terminal) {
        this.runtime = runtime;
        this.out = out;
        this.terminal = terminal;
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
        boolean full = check(job, s, "expected-full.json");
        return arrival(api) && full;
    }

    /**
     * The second step only uploads: a file put into the dataset's folder of the landing bucket is
     * imported by a job the S3 notification starts (INCREMENTAL, after the arrival window).
     */
    private boolean arrival(ApiClient api) throws Exception {
        byte[] bytes = bytes(UPDATE_FILE);
        long started = System.nanoTime();
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("demo-items/" + UPDATE_FILE),
                RequestBody.fromBytes(bytes));
        out.printf(Locale.ROOT, "8. uploaded s3://%s/demo-items/%s (%,d bytes) and made no API call: the dataset's folder"
                + " is watched%n", LocalRuntime.LANDING_BUCKET, UPDATE_FILE, bytes.length);
        List<JobEvent> events = runtime.events().await(all -> all.stream().anyMatch(e -> isArrivalJob(e)
                && detail(e).path("status").asText().matches("ACTIVE|FAILED")), Duration.ofMinutes(5));
        String last = "";
        String jobName = null;
        for (JobEvent e : events) {
            if (isArrivalJob(e)) {
                jobName = e.jobName();
                String status = detail(e).path("status").asText();
                if (!status.equals(last)) {
                    out.printf(Locale.ROOT, "   event: %s %s%s%n", e.jobName(), status,
                            detail(e).path("previousStatus").isNull() ? " (started by an S3 event)" : "");
                    last = status;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String jobArn = "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + jobName;
        JsonNode job = api.ok("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn", jobArn))
                .get("datasetImportJob");
        JsonNode stats = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", jobArn)).get("importJob")
                .get("statistics");
        out.printf(Locale.ROOT, "9. %s (%s) ended %s %.2f s after the upload (arrival window %d s): %s%n", jobName,
                job.get("importMode").asText(), job.get("status").asText(), seconds,
                runtime.services().arrivals.settings().window().toSeconds(), stats);
        return check(job, stats, "expected-arrival.json");
    }

    private static boolean isArrivalJob(JobEvent event) {
        JsonNode d = detail(event);
        return d.path("datasetName").asText().equals("demo-items") && d.at("/startedBy/type").asText().equals("S3_EVENT");
    }

    private static JsonNode detail(JobEvent event) {
        try {
            return Json.parse(event.detail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the job until it ends: each status once, and while it runs its progress (intake/DescribeImportJob) as a bar. */
    private JsonNode waitForEnd(ApiClient api, String jobArn, long started) throws Exception {
        String last = "";
        ProgressLine bar = new ProgressLine(out, terminal);
        while (true) {
            JsonNode job = api.ok("personalize", "DescribeDatasetImportJob", Map.of("datasetImportJobArn", jobArn))
                    .get("datasetImportJob");
            String status = job.get("status").asText();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!status.equals(last)) {
                bar.end();
                out.printf(Locale.ROOT, "   %6.2f s  %s%n", seconds, status);
                last = status;
            }
            if (status.equals("CREATE IN_PROGRESS")) {
                JsonNode progress = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn", jobArn))
                        .path("importJob").path("progress");
                if (!progress.isMissingNode()) {
                    bar.show(seconds, progress);
                }
            }
            if (status.equals("ACTIVE") || status.equals("CREATE FAILED")) {
                bar.end();
                return job;
            }
            if (System.nanoTime() - started > 300e9) {
                throw new IllegalStateException("the import did not finish within 5 minutes");
            }
            Thread.sleep(100);
        }
    }

    private boolean check(JsonNode job, JsonNode stats, String expectation) throws IOException {
        JsonNode expected = Json.parse(resource(expectation));
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
