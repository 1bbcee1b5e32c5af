package dev.intake.local;

import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.asl.ExecutionResult;
import dev.intake.local.asl.ExecutionStatus;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.FunctionInvoker;
import dev.intake.local.asl.Sleeper;
import dev.intake.local.asl.StateMachine;
import dev.intake.local.store.SqliteStorage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * `intake bench --objects N`: an import of a prefix of N small CSV objects, on a fresh in-memory stack,
 * through the import state machine in the local executor (Plan writing the manifest, the Distributed
 * Map reading it). It times each step from the task invocations themselves: Plan, the Ingest Map (first
 * chunk started to last chunk done), and the rest.
 */
final class ObjectsBench {
    /**
     * A bucket of its own, without the landing bucket's event notifications: 50,000 uploads would
     * otherwise queue 50,000 messages for the arrival trigger, which is not what this measures.
     */
    private static final String BUCKET = "intake-bench";
    private static final String PREFIX = "objects/";
    private static final int ROWS_PER_OBJECT = 2;

    private final PrintStream out;

    ObjectsBench(PrintStream out) {
        this.out = out;
    }

    /** When a task's invocations started first and ended last, and their count. */
    private static final class Span {
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong calls = new AtomicLong();

        void add(long start, long end) {
            first.accumulateAndGet(start, Math::min);
            last.accumulateAndGet(end, Math::max);
            calls.incrementAndGet();
        }

        double seconds() {
            return calls.get() == 0 ? 0 : (last.get() - first.get()) / 1e9;
        }
    }

    void run(int objects) throws Exception {
        LocalRuntime.Options options = LocalRuntime.Options.defaults().inMemory().withPorts(0, 0);
        try (LocalRuntime runtime = new LocalRuntime(options)) {
            runtime.s3().createBucket(BUCKET);
            long bytes = upload(runtime, objects);
            // The runtime's own services start executions by themselves; these start none, so the
            // bench runs the one execution on an executor whose task invocations it times.
            Services services = LocalRuntime.services(SqliteStorage.of(runtime.database()), runtime.s3().client(),
                    WorkflowStarter.manual(name -> { }), new EngineSettings(LocalRuntime.RESULTS_BUCKET, options.chunkBytes(),
                            ImportAccess.parse("s3://" + BUCKET + "/", "")));
            services.datasets.create("objects", "{\"type\":\"record\",\"name\":\"O\",\"fields\":["
                    + "{\"name\":\"ID\",\"type\":\"string\"},{\"name\":\"V\",\"type\":\"long\"}]}", List.of("ID"));
            LocalFunctions functions = new LocalFunctions(services);
            Map<String, Span> spans = new ConcurrentHashMap<>();
            FunctionInvoker timed = (name, payload) -> {
                long start = System.nanoTime();
                try {
                    return functions.invoke(name, payload);
                } finally {
                    spans.computeIfAbsent(name, n -> new Span()).add(start, System.nanoTime());
                }
            };
            String job = "objects-" + objects;
            ImportJob created = services.jobs.create(new NewImport(job, "objects", "s3://" + BUCKET + "/" + PREFIX, ImportMode.FULL, null, Map.of(), false, null));
            ExecutionResult result;
            long start = System.nanoTime();
            try (Executor executor = new Executor(timed, Sleeper.realTime(), 1,
                    LocalFunctions.objectReader(runtime.s3().client()))) {
                StateMachine machine = StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions());
                result = executor.run(machine, Json.parse("{\"jobName\":\"" + created.name() + "\"}"));
            }
            double total = (System.nanoTime() - start) / 1e9;
            ImportJob done = services.jobs.describe(job);
            if (result.status() != ExecutionStatus.SUCCEEDED || done.status() != JobStatus.ACTIVE) {
                throw new IllegalStateException("the import ended " + done.status() + " (" + result.error() + "): "
                        + done.failureReason());
            }
            long manifestBytes = runtime.s3().client().headObject(r -> r.bucket(LocalRuntime.RESULTS_BUCKET)
                    .key("manifests/" + job + "/pass-1.jsonl")).contentLength();
            Span plan = spans.getOrDefault("Plan", new Span());
            Span ingest = spans.getOrDefault("IngestChunk", new Span());
            double rest = total - plan.seconds() - ingest.seconds();
            out.printf(Locale.ROOT, "Objects: %,d CSV objects of %d rows (%,d bytes) under s3://%s/%s, one FULL import through"
                    + " the local state machine (Distributed Map, MaxConcurrency %d)%n", objects, ROWS_PER_OBJECT, bytes,
                    BUCKET, PREFIX, LocalFunctions.INGEST_CONCURRENCY);
            out.printf(Locale.ROOT, "  plan     %8.1f s   list, cut into chunks, write the manifest (%,d chunks, %,d bytes)%n",
                    plan.seconds(), done.statistics().filesIngested(), manifestBytes);
            out.printf(Locale.ROOT, "  ingest   %8.1f s   %,d chunks, %,.0f chunks/s, %,.0f rows/s%n", ingest.seconds(),
                    ingest.calls.get(), ingest.calls.get() / ingest.seconds(), done.statistics().rowsRead() / ingest.seconds());
            out.printf(Locale.ROOT, "  rest     %8.1f s   start, reconcile, finish, the executor between steps%n", rest);
            out.printf(Locale.ROOT, "  total    %8.1f s   execution start to ACTIVE: %,d files, %,d rows added%n", total,
                    done.statistics().filesTotal(), done.statistics().added());
        }
    }

    /** Puts the objects, 8 at a time; returns their bytes. */
    private long upload(LocalRuntime runtime, int objects) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                int n = i;
                puts.add(pool.submit(() -> {
                    StringBuilder csv = new StringBuilder("ID,V\n");
                    for (int r = 0; r < ROWS_PER_OBJECT; r++) {
                        csv.append("o").append(n).append('-').append(r).append(',').append(r).append('\n');
                    }
                    bytes.addAndGet(csv.length());
                    runtime.s3().client().putObject(p -> p.bucket(BUCKET)
                            .key(PREFIX + String.format(Locale.ROOT, "part-%06d.csv", n)), RequestBody.fromString(csv.toString()));
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
        out.printf(Locale.ROOT, "(uploaded %,d objects in %.1f s)%n", objects, (System.nanoTime() - start) / 1e9);
        return bytes.get();
    }
}
