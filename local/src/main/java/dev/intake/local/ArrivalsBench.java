package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What the arrival window does to a burst of uploads: for each window, a fresh in-memory stack, a
 * dataset, and N files put into its landing folder through the S3 API over a few seconds; it counts
 * the jobs the uploads started (from the job events) and times the last of them to ACTIVE.
 */
final class ArrivalsBench {
    private final PrintStream out;

    ArrivalsBench(PrintStream out) {
        this.out = out;
    }

    record Result(Duration window, int files, int jobs, List<Integer> filesPerJob, long rows, double seconds) {
    }

    void run(int files, Duration spread, List<Duration> windows) throws Exception {
        out.printf(Locale.ROOT, "Arrivals: %d files of 100 rows put into s3://%s/bench/ over %.1f s, per arrival window%n",
                files, LocalRuntime.LANDING_BUCKET, spread.toMillis() / 1000.0);
        out.println("  window   jobs   files per job                        rows imported   first upload to last ACTIVE");
        for (Duration window : windows) {
            Result r = once(files, spread, window);
            out.printf(Locale.ROOT, "  %5.1f s  %4d   %-36s %,13d   %6.2f s%n", window.toMillis() / 1000.0, r.jobs(),
                    abbreviate(r.filesPerJob().toString(), 36), r.rows(), r.seconds());
        }
        out.println("  (each window on a fresh in-memory stack; jobs: import jobs started by S3 events, from the job events)");
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    Result once(int files, Duration spread, Duration window) throws Exception {
        LocalRuntime.Options options = LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withArrivalWindow(window);
        try (LocalRuntime runtime = new LocalRuntime(options)) {
            runtime.services().datasets.create("bench", "{\"type\":\"record\",\"name\":\"B\",\"fields\":["
                    + "{\"name\":\"ID\",\"type\":\"string\"},{\"name\":\"V\",\"type\":\"long\"}]}", List.of("ID"));
            long pauseNanos = files > 1 ? spread.toNanos() / (files - 1) : 0;
            long start = System.nanoTime();
            for (int f = 0; f < files; f++) {
                StringBuilder csv = new StringBuilder("ID,V\n");
                for (int r = 0; r < 100; r++) {
                    csv.append(f).append('-').append(r).append(',').append(r).append('\n');
                }
                String key = "bench/part-" + f + ".csv";
                runtime.s3().client().putObject(b -> b.bucket(LocalRuntime.LANDING_BUCKET).key(key),
                        RequestBody.fromString(csv.toString(), StandardCharsets.UTF_8));
                long next = start + (f + 1) * pauseNanos;
                long wait = next - System.nanoTime();
                if (wait > 0 && f < files - 1) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            long rows = (long) files * 100;
            // done when every job an upload started has ended and every row is there
            List<JobEvent> events = runtime.events().await(all -> allEnded(all) && imported(all) >= rows,
                    Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Integer> perJob = new TreeMap<>();
            for (JobEvent e : events) {
                JsonNode d = detail(e);
                if (d.path("status").asText().equals("ACTIVE")) {
                    perJob.put(e.jobName(), d.at("/statistics/filesTotal").asInt());
                }
            }
            return new Result(window, files, jobs(events).size(), List.copyOf(perJob.values()), imported(events), seconds);
        }
    }

    private static Set<String> jobs(List<JobEvent> events) {
        Set<String> jobs = new TreeSet<>();
        events.stream().filter(e -> detail(e).at("/startedBy/type").asText().equals("S3_EVENT")).forEach(e -> jobs.add(e.jobName()));
        return jobs;
    }

    private static boolean allEnded(List<JobEvent> events) {
        Set<String> ended = new TreeSet<>();
        events.stream().filter(e -> detail(e).path("status").asText().matches("ACTIVE|FAILED")).forEach(e -> ended.add(e.jobName()));
        return ended.containsAll(jobs(events));
    }

    private static long imported(List<JobEvent> events) {
        return events.stream().map(ArrivalsBench::detail).filter(d -> d.path("status").asText().equals("ACTIVE"))
                .mapToLong(d -> d.at("/statistics/recordsAdded").asLong()).sum();
    }

    private static JsonNode detail(JobEvent event) {
        try {
            return Json.parse(event.detail());
        } catch (Exception e) {
            throw new IllegalStateException("a job event whose detail is not JSON: " + event.detail(), e);
        }
    }
}
