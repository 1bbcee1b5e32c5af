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
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

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

    /**
     * When a task's invocations started first and ended last, and their count; with the process's CPU
     * time at those two moments (every thread: the task's, the S3 endpoint's, the collector's), which
     * other processes on a shared machine change far less than the clock's.
     */
    private static final class Span {
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;
        private long firstCpu;
        private long lastCpu;
        private long calls;

        synchronized void add(long start, long startCpu, long end, long endCpu) {
            if (start < first) {
                first = start;
                firstCpu = startCpu;
            }
            if (end > last) {
                last = end;
                lastCpu = endCpu;
            }
            calls++;
        }

        synchronized long calls() {
            return calls;
        }

        synchronized double seconds() {
            return calls == 0 ? 0 : (last - first) / 1e9;
        }

        synchronized double cpuSeconds() {
            return calls == 0 ? 0 : (lastCpu - firstCpu) / 1e9;
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The CPU time of this process so far, all threads, in nanoseconds. */
    private static long processCpu() {
        return OS.getProcessCpuTime();
    }

    /** Times the client's ListObjectsV2 calls, request to response, made in a thread while it is {@link #timing}. */
    private static final class ListingTimer implements ExecutionInterceptor {
        private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("intake.bench.listingStarted");
        final ThreadLocal<Boolean> timing = ThreadLocal.withInitial(() -> false);
        final AtomicLong pages = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (timing.get() && context.request() instanceof ListObjectsV2Request) {
                attributes.putAttribute(STARTED, System.nanoTime());
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            Long started = attributes.getAttribute(STARTED);
            if (started != null) {
                pages.incrementAndGet();
                nanos.addAndGet(System.nanoTime() - started);
            }
        }
    }

    void run(int objects) throws Exception {
        LocalRuntime.Options options = LocalRuntime.Options.defaults().inMemory().withPorts(0, 0);
        try (LocalRuntime runtime = new LocalRuntime(options)) {
            runtime.s3().createBucket(BUCKET);
            long bytes = upload(runtime, objects);
            // The runtime's own services start executions by themselves; these start none, so the
            // bench runs the one execution on an executor whose task invocations it times.
            ListingTimer listings = new ListingTimer();
            S3Client s3 = EmbeddedS3.client(runtime.s3().endpoint(), List.of(listings));
            Services services = LocalRuntime.services(SqliteStorage.of(runtime.database()), s3,
                    WorkflowStarter.manual(name -> { }), new EngineSettings(LocalRuntime.RESULTS_BUCKET, options.chunkBytes(),
                            ImportAccess.parse("s3://" + BUCKET + "/", "")));
            services.datasets.create("objects", "{\"type\":\"record\",\"name\":\"O\",\"fields\":["
                    + "{\"name\":\"ID\",\"type\":\"string\"},{\"name\":\"V\",\"type\":\"long\"}]}", List.of("ID"));
            LocalFunctions functions = new LocalFunctions(services);
            Map<String, Span> spans = new ConcurrentHashMap<>();
            FunctionInvoker timed = (name, payload) -> {
                long startCpu = processCpu();
                long start = System.nanoTime();
                listings.timing.set(name.equals("Plan"));
                try {
                    return functions.invoke(name, payload);
                } finally {
                    listings.timing.set(false);
                    long end = System.nanoTime();
                    spans.computeIfAbsent(name, n -> new Span()).add(start, startCpu, end, processCpu());
                }
            };
            String job = "objects-" + objects;
            ImportJob created = services.jobs.create(new NewImport(job, "objects", "s3://" + BUCKET + "/" + PREFIX, ImportMode.FULL, null, Map.of(), false, null));
            ExecutionResult result;
            long startCpu = processCpu();
            long start = System.nanoTime();
            try (s3; Executor executor = new Executor(timed, Sleeper.realTime(), 1, LocalFunctions.objectReader(s3))) {
                StateMachine machine = StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions());
                result = executor.run(machine, Json.parse("{\"jobName\":\"" + created.name() + "\"}"));
            }
            double total = (System.nanoTime() - start) / 1e9;
            double totalCpu = (processCpu() - startCpu) / 1e9;
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
            double restCpu = totalCpu - plan.cpuSeconds() - ingest.cpuSeconds();
            out.printf(Locale.ROOT, "Objects: %,d CSV objects of %d rows (%,d bytes) under s3://%s/%s, one FULL import through"
                    + " the local state machine (Distributed Map, MaxConcurrency %d)%n", objects, ROWS_PER_OBJECT, bytes,
                    BUCKET, PREFIX, LocalFunctions.INGEST_CONCURRENCY);
            out.printf(Locale.ROOT, "               clock      CPU%n");
            out.printf(Locale.ROOT, "  plan     %8.1f s %6.1f s   list, cut into chunks, write the manifest (%,d chunks, %,d bytes)%n",
                    plan.seconds(), plan.cpuSeconds(), done.statistics().filesIngested(), manifestBytes);
            out.printf(Locale.ROOT, "    listing %7.1f s            %,d pages of ListObjectsV2 in Plan (request to response)%n",
                    listings.nanos.get() / 1e9, listings.pages.get());
            out.printf(Locale.ROOT, "  ingest   %8.1f s %6.1f s   %,d chunks, %,.0f chunks/s, %,.0f rows/s%n", ingest.seconds(),
                    ingest.cpuSeconds(), ingest.calls(), ingest.calls() / ingest.seconds(),
                    done.statistics().rowsRead() / ingest.seconds());
            out.printf(Locale.ROOT, "  rest     %8.1f s %6.1f s   start, reconcile, finish, the executor between steps%n", rest,
                    restCpu);
            out.printf(Locale.ROOT, "  total    %8.1f s %6.1f s   execution start to ACTIVE: %,d files, %,d rows added%n", total,
                    totalCpu, done.statistics().filesTotal(), done.statistics().added());
            out.printf(Locale.ROOT, "  (CPU: the whole process's, every thread, from the first invocation's start to the last one's end)%n");
        }
        listingAlone(objects);
    }

    /**
     * The same listing of the prefix, in this thread, from S3Proxy's in-memory store itself (no HTTP):
     * page by page as the store answers it, then with the pages cut from one listing
     * ({@link PagedListingBlobStore}), timed by this thread's CPU time.
     */
    private void listingAlone(int objects) {
        TransientNio2BlobStore store = new TransientNio2BlobStore();
        store.createContainer(CreateBucketRequest.builder().bucket(BUCKET).build());
        for (int n = 0; n < objects; n++) {
            byte[] csv = csv(n).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            store.putBlob(PutObjectRequest.builder().bucket(BUCKET).key(key(n)).contentLength((long) csv.length).build(),
                    new ByteArrayInputStream(csv));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Once before timing, so that neither runs uncompiled code: it lists the whole prefix through the store
        // once too; the store's own way then warms up in its first page of the 50 or so.
        listAll(new PagedListingBlobStore(store), objects);
        long start = threads.getCurrentThreadCpuTime();
        int pages = listAll(store, objects);
        double each = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        start = threads.getCurrentThreadCpuTime();
        listAll(new PagedListingBlobStore(store), objects);
        double once = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        out.printf(Locale.ROOT, "Listing alone, %,d objects in %,d pages of 1,000, from S3Proxy's in-memory store in this thread"
                + " (no HTTP), CPU time:%n", objects, pages);
        out.printf(Locale.ROOT, "  the store answering each page    %8.2f s   (it lists and sorts the whole prefix for every page)%n", each);
        out.printf(Locale.ROOT, "  pages cut from one listing       %8.2f s   %.1f times less (PagedListingBlobStore, as the local S3 endpoint lists)%n",
                once, each / once);
    }

    /** Lists the prefix page by page with continuation tokens, checking it finds every object; returns the pages. */
    private static int listAll(BlobStore store, int objects) {
        int pages = 0;
        int found = 0;
        String token = null;
        do {
            ListObjectsV2Response page = store.list(ListObjectsV2Request.builder().bucket(BUCKET).prefix(PREFIX)
                    .maxKeys(1000).continuationToken(token).build());
            found += page.contents().size();
            pages++;
            token = page.nextContinuationToken();
        } while (token != null);
        if (found != objects) {
            throw new IllegalStateException("listed " + found + " objects of " + objects);
        }
        return pages;
    }

    private static String key(int n) {
        return PREFIX + String.format(Locale.ROOT, "part-%06d.csv", n);
    }

    private static String csv(int n) {
        StringBuilder csv = new StringBuilder("ID,V\n");
        for (int r = 0; r < ROWS_PER_OBJECT; r++) {
            csv.append("o").append(n).append('-').append(r).append(',').append(r).append('\n');
        }
        return csv.toString();
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
                    String csv = csv(n);
                    bytes.addAndGet(csv.length());
                    runtime.s3().client().putObject(p -> p.bucket(BUCKET).key(key(n)), RequestBody.fromString(csv));
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
