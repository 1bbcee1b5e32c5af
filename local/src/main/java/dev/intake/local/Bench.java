package dev.intake.local;

import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * `intake bench`: import throughput of the engine on the embedded stack, as a ratio against a
 * baseline measured in the same process — the same rows written with plain BatchWriteItem into the
 * same DynamoDB Local, the least any import must do.
 */
final class Bench {
    private static final String SCHEMA = """
            {"type":"record","name":"Bench","fields":[{"name":"ID","type":"string"},{"name":"NAME","type":"string"},
            {"name":"PRICE","type":"double"},{"name":"TS","type":"long"}]}""";

    private final LocalRuntime runtime;
    private final long chunkBytes;
    private final PrintStream out;

    Bench(LocalRuntime runtime, long chunkBytes, PrintStream out) {
        this.runtime = runtime;
        this.chunkBytes = chunkBytes;
        this.out = out;
    }

    void run(int rows) throws Exception {
        String csv = csv(rows);
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("bench/rows.csv"), RequestBody.fromString(csv));
        runtime.services().datasets.create("bench", SCHEMA, List.of("ID"));
        runtime.services().datasets.create("warmup", SCHEMA, List.of("ID"));
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("warmup/rows.csv"),
                RequestBody.fromString(csv(Math.min(rows, 5_000))));
        importRows("warmup", "warmup-1", "s3://intake-landing/warmup/rows.csv", ImportMode.FULL);
        baseline(Math.min(rows, 5_000), "warmup-baseline");

        out.printf(Locale.ROOT, "rows: %,d (%,d bytes of CSV in chunks of %,d bytes)%n", rows, csv.length(), chunkBytes);
        // The baseline runs before, between and after the imports; its median is the reference, so a
        // noisy moment on a small machine does not decide the ratios.
        double[] base = new double[3];
        base[0] = baseline(rows, "baseline-1");
        double full = importRows("bench", "bench-full", "s3://intake-landing/bench/rows.csv", ImportMode.FULL);
        base[1] = baseline(rows, "baseline-2");
        double same = importRows("bench", "bench-incremental", "s3://intake-landing/bench/rows.csv", ImportMode.INCREMENTAL);
        base[2] = baseline(rows, "baseline-3");
        double[] sorted = base.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[1];
        out.printf(Locale.ROOT, "baseline  BatchWriteItem, 25 per call        %,10.0f rows/s   1.00   (runs: %,.0f %,.0f %,.0f)%n",
                median, base[0], base[1], base[2]);
        out.printf(Locale.ROOT, "engine    FULL import (all added)          %,10.0f rows/s   %.2f%n", full, full / median);
        out.printf(Locale.ROOT, "engine    INCREMENTAL (all unchanged)      %,10.0f rows/s   %.2f%n", same, same / median);
        out.println("(ratio = engine rows/s divided by the median baseline rows/s, same process, same DynamoDB Local)");
    }

    private double importRows(String dataset, String jobName, String location, ImportMode mode) throws Exception {
        long start = System.nanoTime();
        ImportJob job = runtime.services().jobs.create(new NewImport(jobName, dataset, location, mode, null, Map.of(), false, null));
        if (!runtime.workflows().execution(job.name()).await(Duration.ofMinutes(30))) {
            throw new IllegalStateException("import " + jobName + " did not finish in 30 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ImportJob done = runtime.services().jobs.describe(jobName);
        if (done.status() != JobStatus.ACTIVE) {
            throw new IllegalStateException("import " + jobName + " ended " + done.status() + ": " + done.failureReason());
        }
        return done.statistics().rowsRead() / seconds;
    }

    /** The same rows as items of the records table's shape, written with BatchWriteItem. */
    private double baseline(int rows, String partition) {
        var dynamo = runtime.dynamoClient();
        String table = EmbeddedDynamo.TABLES.records();
        long start = System.nanoTime();
        List<WriteRequest> batch = new ArrayList<>(25);
        for (int i = 0; i < rows; i++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS(partition + "#" + (i % 16)));
            item.put("sk", AttributeValue.fromS("id-" + i));
            item.put("data", AttributeValue.fromS("{\"ID\":\"id-" + i + "\",\"NAME\":\"name " + i + "\",\"PRICE\":" + i
                    + ".5,\"TS\":" + (1_700_000_000L + i) + "}"));
            batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            if (batch.size() == 25 || i == rows - 1) {
                Map<String, List<WriteRequest>> requests = Map.of(table, List.copyOf(batch));
                while (!requests.isEmpty()) {
                    requests = dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(requests).build())
                            .unprocessedItems();
                }
                batch.clear();
            }
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static String csv(int rows) {
        StringBuilder sb = new StringBuilder(rows * 48).append("ID,NAME,PRICE,TS\n");
        for (int i = 0; i < rows; i++) {
            sb.append("id-").append(i).append(",name ").append(i).append(',').append(i).append(".5,")
                    .append(1_700_000_000L + i).append('\n');
        }
        return sb.toString();
    }
}
