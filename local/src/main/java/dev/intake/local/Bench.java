package dev.intake.local;

import dev.intake.adapters.dynamodb.CapacityMeter;
import dev.intake.adapters.dynamodb.DynamoRecordStore;
import dev.intake.adapters.dynamodb.TableNames;
import dev.intake.app.Services;
import dev.intake.core.ChunkTask;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.ports.StoredRecord;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * `intake bench`, two measurements from one run:
 * <ol>
 *   <li>local import throughput on the embedded store, as a ratio against the least any import must
 *       do there: the same rows inserted with plain batched INSERTs into the same SQLite database,
 *       in the same process;</li>
 *   <li>what the DynamoDB write path costs: write units per row (as dynalite reports them for each
 *       call, billed as DynamoDB bills them: 1 per KB of item) for a FULL import, an INCREMENTAL one
 *       whose rows are all unchanged, and one whose rows all changed.</li>
 * </ol>
 */
final class Bench {
    private static final String SCHEMA = """
            {"type":"record","name":"Bench","fields":[{"name":"ID","type":"string"},{"name":"NAME","type":"string"},
            {"name":"PRICE","type":"double"},{"name":"TS","type":"long"}]}""";

    private final LocalRuntime runtime;
    private final long chunkBytes;
    private final Path dynaliteDir;
    private final PrintStream out;

    Bench(LocalRuntime runtime, long chunkBytes, Path dynaliteDir, PrintStream out) {
        this.runtime = runtime;
        this.chunkBytes = chunkBytes;
        this.dynaliteDir = dynaliteDir;
        this.out = out;
    }

    void run(int rows, int dynaliteRows) throws Exception {
        embedded(rows);
        out.println();
        dynamo(dynaliteRows);
    }

    private void embedded(int rows) throws Exception {
        put("files/bench/rows.csv", csv(rows, ""));
        put("files/bench/changed.csv", csv(rows, " v2"));
        // Warm the JIT up on the same work first, so the figures are of the steady state.
        int warmupRows = Math.min(rows, 50_000);
        put("files/warmup/rows.csv", csv(warmupRows, ""));
        runtime.services().datasets.create("bench", SCHEMA, List.of("ID"));
        runtime.services().datasets.create("warmup", SCHEMA, List.of("ID"));
        importRows("warmup", "warmup-1", "s3://intake-landing/files/warmup/rows.csv", ImportMode.FULL);
        importRows("warmup", "warmup-2", "s3://intake-landing/files/warmup/rows.csv", ImportMode.INCREMENTAL);
        baseline(warmupRows, "warmup");

        out.printf(Locale.ROOT, "Embedded store (SQLite), %,d rows of CSV (%,d bytes) in chunks of %,d bytes%n", rows,
                csv(rows, "").length(), chunkBytes);
        // The baseline runs before, between and after the imports; its median is the reference, so a
        // noisy moment on a small machine does not decide the ratios.
        double[] base = new double[4];
        base[0] = baseline(rows, "baseline-1");
        double full = importRows("bench", "bench-full", "s3://intake-landing/files/bench/rows.csv", ImportMode.FULL);
        base[1] = baseline(rows, "baseline-2");
        double same = importRows("bench", "bench-unchanged", "s3://intake-landing/files/bench/rows.csv", ImportMode.INCREMENTAL);
        base[2] = baseline(rows, "baseline-3");
        double changed = importRows("bench", "bench-changed", "s3://intake-landing/files/bench/changed.csv", ImportMode.INCREMENTAL);
        base[3] = baseline(rows, "baseline-4");
        double pipeline = pipelineOnly(rows);
        double[] sorted = base.clone();
        Arrays.sort(sorted);
        double median = (sorted[1] + sorted[2]) / 2;
        out.printf(Locale.ROOT, "  baseline  INSERT, %d rows per transaction   %,10.0f rows/s   1.00   (runs: %,.0f %,.0f %,.0f %,.0f)%n",
                batch(), median, base[0], base[1], base[2], base[3]);
        out.printf(Locale.ROOT, "  import    FULL (all added)                %,10.0f rows/s   %.2f%n", full, full / median);
        out.printf(Locale.ROOT, "  import    INCREMENTAL (all unchanged)     %,10.0f rows/s   %.2f%n", same, same / median);
        out.printf(Locale.ROOT, "  import    INCREMENTAL (all changed)       %,10.0f rows/s   %.2f%n", changed, changed / median);
        out.printf(Locale.ROOT, "  pipeline  FULL, records stored nowhere    %,10.0f rows/s   %.2f%n", pipeline, pipeline / median);
        out.println("  (import: CreateDatasetImportJob to ACTIVE through the local state machine; pipeline: the same FULL"
                + " import's steps with a record store that keeps nothing, i.e. reading, validating, encoding and hashing;"
                + " ratio = rows/s / median baseline rows/s, same process, same database)");
    }

    /** The FULL import's steps with a record store that reads nothing and keeps nothing: the engine's own cost. */
    private double pipelineOnly(int rows) {
        RecordStore nowhere = new PipelineBench.NowhereRecordStore(); // batches of DynamoDB's size
        Storage local = SqliteStorage.of(runtime.database());
        Services services = LocalRuntime.services(new Storage(local.datasets(), local.jobs(), nowhere, local.signingKeys()),
                runtime.s3().client(), WorkflowStarter.manual(name -> { }), chunkBytes);
        services.datasets.create("pipeline", SCHEMA, List.of("ID"));
        long start = System.nanoTime();
        ImportJob done = drive(services, "pipeline-full", "pipeline", "files/bench/rows.csv", ImportMode.FULL);
        return rowsPerSecond(done, (System.nanoTime() - start) / 1e9);
    }

    /** Runs a job's steps in order, as the state machine would. */
    private static ImportJob drive(Services services, String jobName, String dataset, String key, ImportMode mode) {
        services.jobs.create(new NewImport(jobName, dataset, "s3://" + LocalRuntime.LANDING_BUCKET + "/" + key, mode, null,
                Map.of(), false, null));
        services.workflow.start(jobName);
        List<ChunkTask> chunks = services.workflow.plan(jobName);
        for (ChunkTask chunk : chunks) {
            services.workflow.ingest(jobName, chunk, 1);
        }
        List<Integer> recount = services.workflow.reconcile(jobName, chunks.size());
        for (ChunkTask chunk : chunks) {
            if (recount.contains(chunk.index())) {
                services.workflow.ingest(jobName, chunk, 2);
            }
        }
        return services.workflow.finish(jobName, chunks.size(), recount);
    }

    /** Keys are under files/, not a dataset's own folder, whose uploads would start imports of their own. */
    private void put(String key, String body) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key), RequestBody.fromString(body));
    }

    private double importRows(String dataset, String jobName, String location, ImportMode mode) throws Exception {
        long start = System.nanoTime();
        ImportJob job = runtime.services().jobs.create(new NewImport(jobName, dataset, location, mode, null, Map.of(), false, null));
        if (!runtime.workflows().execution(job.name()).await(Duration.ofMinutes(30))) {
            throw new IllegalStateException("import " + jobName + " did not finish in 30 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return rowsPerSecond(runtime.services().jobs.describe(jobName), seconds);
    }

    private static double rowsPerSecond(ImportJob done, double seconds) {
        if (done.status() != JobStatus.ACTIVE) {
            throw new IllegalStateException("import " + done.name() + " ended " + done.status() + ": " + done.failureReason());
        }
        return done.statistics().rowsRead() / seconds;
    }

    /** The engine's writes go to the embedded store this many rows per transaction; the baseline's too. */
    private int batch() {
        return runtime.services().records.maxBatch();
    }

    /** The same rows, shaped as the records table's, inserted into the same database. */
    private double baseline(int rows, String generation) {
        SqliteDatabase db = runtime.database();
        db.transaction("prepare the baseline", d -> {
            d.statement("CREATE TABLE IF NOT EXISTS bench_baseline (dataset TEXT NOT NULL, generation TEXT NOT NULL, "
                    + "key TEXT NOT NULL, data TEXT NOT NULL, hash TEXT NOT NULL, job TEXT NOT NULL, seq INTEGER NOT NULL, "
                    + "base TEXT NOT NULL, history TEXT, PRIMARY KEY (dataset, generation, key)) WITHOUT ROWID").execute();
            return null;
        });
        long start = System.nanoTime();
        int batch = batch();
        for (int from = 0; from < rows; from += batch) {
            int first = from;
            db.transaction("insert baseline rows", d -> {
                PreparedStatement insert = d.statement("INSERT INTO bench_baseline (dataset, generation, key, data, hash, job, "
                        + "seq, base) VALUES ('bench', ?, ?, ?, ?, 'baseline', ?, '')");
                for (int i = first; i < Math.min(rows, first + batch); i++) {
                    insert.setString(1, generation);
                    insert.setString(2, "id-" + i);
                    insert.setString(3, "{\"ID\":\"id-" + i + "\",\"NAME\":\"name " + i + "\",\"PRICE\":" + i + ".5,\"TS\":"
                            + (1_700_000_000L + i) + "}");
                    insert.setString(4, Integer.toHexString(i * 31));
                    insert.setLong(5, i);
                    insert.addBatch();
                }
                insert.executeBatch();
                return null;
            });
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    /** The DynamoDB record store on dynalite, under the same engine, driven step by step. */
    private void dynamo(int rows) throws Exception {
        var missing = Dynalite.unavailable();
        if (missing.isPresent()) {
            out.println("DynamoDB write path: skipped (" + missing.get() + ")");
            return;
        }
        out.printf(Locale.ROOT, "DynamoDB write path on dynalite, %,d rows (datasets and jobs in the embedded store; "
                + "records in dynalite)%n", rows);
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try (Dynalite dynalite = Dynalite.start(dynaliteDir);
             DynamoDbClient client = dynalite.client();
             SqliteDatabase control = SqliteDatabase.inMemory()) {
            TableNames tables = new TableNames("bench-control", "bench-records");
            Dynalite.createTables(client, tables);
            CapacityMeter meter = new CapacityMeter();
            Storage sqlite = SqliteStorage.of(control);
            Storage storage = new Storage(sqlite.datasets(), sqlite.jobs(),
                    new DynamoRecordStore(client, tables.records(), writers, meter), sqlite.signingKeys());
            List<String> started = new ArrayList<>();
            Services services = LocalRuntime.services(storage, runtime.s3().client(), WorkflowStarter.manual(started::add), chunkBytes);
            put("files/dynamo/rows.csv", csv(rows, ""));
            put("files/dynamo/changed.csv", csv(rows, " v2"));
            services.datasets.create("dynamo", SCHEMA, List.of("ID"));
            out.println("  import                          rows    write units/row   writes/row   read units/row   s");
            measure(services, meter, "dynamo-full", "files/dynamo/rows.csv", ImportMode.FULL, "FULL (all added)");
            measure(services, meter, "dynamo-unchanged", "files/dynamo/rows.csv", ImportMode.INCREMENTAL, "INCREMENTAL unchanged");
            measure(services, meter, "dynamo-changed", "files/dynamo/changed.csv", ImportMode.INCREMENTAL, "INCREMENTAL changed");
            out.println("  (write units as dynalite reports each PutItem, 1 per KB of item as DynamoDB bills; the few"
                    + " writes per job and chunk to the control table are not counted)");
        } finally {
            writers.shutdownNow();
        }
    }

    private void measure(Services services, CapacityMeter meter, String jobName, String key, ImportMode mode, String label) {
        CapacityMeter.Totals before = meter.totals();
        long start = System.nanoTime();
        ImportJob done = drive(services, jobName, "dynamo", key, mode);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (done.status() != JobStatus.ACTIVE) {
            throw new IllegalStateException(jobName + " ended " + done.status() + ": " + done.failureReason());
        }
        CapacityMeter.Totals after = meter.totals();
        long rowsRead = done.statistics().rowsRead();
        // A write whose condition failed is billed like one unit (these rows are under 1 KB).
        double writeUnits = after.writeUnits() - before.writeUnits() + (after.conditionFailures() - before.conditionFailures());
        out.printf(Locale.ROOT, "  %-28s %,8d   %15.3f   %10.3f   %14.3f   %.1f%n", label, rowsRead, writeUnits / rowsRead,
                (double) (after.writes() - before.writes()) / rowsRead, (after.readUnits() - before.readUnits()) / rowsRead,
                seconds);
    }

    private static String csv(int rows, String suffix) {
        StringBuilder sb = new StringBuilder(rows * 48).append("ID,NAME,PRICE,TS\n");
        for (int i = 0; i < rows; i++) {
            sb.append("id-").append(i).append(",name ").append(i).append(suffix).append(',').append(i).append(".5,")
                    .append(1_700_000_000L + i).append('\n');
        }
        return sb.toString();
    }
}
