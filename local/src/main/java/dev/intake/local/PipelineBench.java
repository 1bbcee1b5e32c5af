package dev.intake.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.intake.core.ChunkTask;
import dev.intake.core.RecordCounts;
import dev.intake.core.StandaloneIngest;
import dev.intake.core.format.DataFormat;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordEntry;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.ports.StoredRecord;
import dev.intake.core.schema.RecordSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * `intake bench --pipeline`: the per-row ingest pipeline (bytes → rows → validated → canonical JSON →
 * hashed → batched, the production {@code ChunkIngester} with a record store that keeps nothing)
 * next to bare parses of the same bytes by FastCSV, Commons CSV and Jackson's streaming parser, in
 * one process: rows/s, MB/s, bytes allocated per row, ratios. Then the pipeline again in a child JVM
 * with C1 only ({@code -XX:TieredStopAtLevel=1}); with {@code --heap}, the peak heap of a 2 GB import
 * in a child JVM under {@code -Xmx256m}.
 */
final class PipelineBench {
    static final String SCHEMA = """
            {"type":"record","name":"Item","fields":[{"name":"ID","type":"string"},{"name":"NAME","type":"string"},
            {"name":"CATEGORY","type":"string"},{"name":"PRICE","type":"double"},{"name":"QUANTITY","type":"int"},
            {"name":"CREATED","type":"long"},{"name":"ACTIVE","type":"boolean"},
            {"name":"DESCRIPTION","type":["null","string"]}]}""";
    private static final String HEADER = "ID,NAME,CATEGORY,PRICE,QUANTITY,CREATED,ACTIVE,DESCRIPTION\n";
    private static final String[] COLORS = {"blue", "red", "green", "black", "white", "grey", "amber"};
    /** How long each contender runs before it is measured (at least one pass), so all are compiled. */
    private static final long WARMUP_NANOS = 2_000_000_000L;

    private final long warmupNanos;
    private static final int MEASURED_PASSES = 5;

    private final PrintStream out;
    /** Keeps the bare parses' results alive, so the JIT cannot drop their work. */
    private long sink;

    PipelineBench(PrintStream out) {
        this(out, WARMUP_NANOS);
    }

    /** With another warm-up (tests use none). */
    PipelineBench(PrintStream out, long warmupNanos) {
        this.out = out;
        this.warmupNanos = warmupNanos;
    }

    /** A contender: reads all of a file's bytes, returns how many rows it read. */
    private interface Parse {
        long rows(byte[] file) throws IOException;
    }

    /** One contender's figures: the median pass, and allocation per row over the measured passes. */
    /**
     * One contender's figures, from its median pass: by CPU time (the measuring thread's, plus the
     * collections during the pass), which other processes on a shared machine hardly change, and by
     * the clock.
     */
    private record Figures(String name, long rows, long bytes, double cpuSeconds, double wallSeconds,
                           double allocatedPerRow) {
        double rowsPerSecond() {
            return rows / cpuSeconds;
        }

        double megabytesPerSecond() {
            return bytes / cpuSeconds / 1e6;
        }

        double rowsPerWallSecond() {
            return rows / wallSeconds;
        }
    }

    void run(int rows, boolean forkC1) throws Exception {
        byte[] csv = csv(rows);
        byte[] jsonLines = jsonLines(rows);
        RecordSchema schema = RecordSchema.parse(SCHEMA, List.of("ID"));
        out.printf(Locale.ROOT, "Per-row pipeline, %,d rows of 8 fields: CSV %,d bytes, JSON Lines %,d bytes (JDK %s, %s)%n",
                rows, csv.length, jsonLines.length, Runtime.version(), compilers());
        List<Figures> figures = measure(rows, List.of(
                new Contender("FastCSV 4.1.0, bare parse", csv, this::fastCsv),
                new Contender("Commons CSV 1.14.1, bare parse", csv, this::commonsCsv),
                new Contender("Intake pipeline, CSV", csv, file -> pipeline(schema, DataFormat.CSV, file)),
                new Contender("Jackson 2 streaming, bare parse", jsonLines, this::jackson),
                new Contender("Intake pipeline, JSON Lines", jsonLines, file -> pipeline(schema, DataFormat.JSON_LINES, file))));
        Figures fastCsv = figures.get(0);
        Figures commonsCsv = figures.get(1);
        Figures csvPipeline = figures.get(2);
        Figures jackson = figures.get(3);
        Figures jsonPipeline = figures.get(4);
        out.println("                                     rows/s (CPU)  MB/s (CPU)  B alloc/row   ratio (CPU)            rows/s (clock)");
        print(fastCsv, fastCsv, "");
        print(commonsCsv, fastCsv, "of FastCSV");
        print(csvPipeline, fastCsv, String.format(Locale.ROOT, "of FastCSV, %.2f of Commons CSV",
                csvPipeline.rowsPerSecond() / commonsCsv.rowsPerSecond()));
        print(jackson, jackson, "");
        print(jsonPipeline, jackson, "of Jackson");
        if (forkC1) {
            double[] c1 = forkPipeline(rows, List.of("-XX:TieredStopAtLevel=1"));
            out.printf(Locale.ROOT, "  Intake pipeline, C1 only (-XX:TieredStopAtLevel=1, child JVM): CSV %,.0f rows/s (CPU, %.2f of C2),"
                            + " JSON Lines %,.0f rows/s (%.2f of C2)%n", c1[0], c1[0] / csvPipeline.rowsPerSecond(), c1[1],
                    c1[1] / jsonPipeline.rowsPerSecond());
        }
        out.println("  (median of " + MEASURED_PASSES + " passes, taken in turns after " + warmupNanos / 1_000_000_000
                + " s of warm-up each, same bytes from memory, one thread; pipeline: ChunkIngester with a record store"
                + " that keeps nothing; CPU: the thread's CPU time plus GC time, which other processes on the machine"
                + " hardly change; B alloc/row: ThreadMXBean allocated bytes / rows)");
    }

    private void print(Figures f, Figures reference, String of) {
        out.printf(Locale.ROOT, "  %-34s %,12.0f %,10.1f %,12.0f   %-30s %,10.0f%n", f.name(), f.rowsPerSecond(),
                f.megabytesPerSecond(), f.allocatedPerRow(),
                String.format(Locale.ROOT, "%.2f %s", f.rowsPerSecond() / reference.rowsPerSecond(), of), f.rowsPerWallSecond());
    }

    private record Contender(String name, byte[] file, Parse parse) {
    }

    /**
     * Warms each contender up, then runs them in turns, one pass each per round, so that a busy
     * moment of the machine falls on all of them alike rather than on one.
     */
    private List<Figures> measure(int rows, List<Contender> contenders) throws IOException {
        for (Contender c : contenders) {
            long warmupEnd = System.nanoTime() + warmupNanos;
            do {
                check(c.name(), c.parse().rows(c.file()), rows);
            } while (System.nanoTime() < warmupEnd);
        }
        double[][] seconds = new double[contenders.size()][MEASURED_PASSES];
        double[][] wall = new double[contenders.size()][MEASURED_PASSES];
        long[] allocated = new long[contenders.size()];
        for (int pass = 0; pass < MEASURED_PASSES; pass++) {
            for (int i = 0; i < contenders.size(); i++) {
                Contender c = contenders.get(i);
                System.gc();
                long allocatedBefore = allocatedBytes();
                long start = System.nanoTime();
                long cpuStart = cpuNanos();
                check(c.name(), c.parse().rows(c.file()), rows);
                seconds[i][pass] = (cpuNanos() - cpuStart) / 1e9;
                wall[i][pass] = (System.nanoTime() - start) / 1e9;
                allocated[i] += allocatedBytes() - allocatedBefore;
            }
        }
        List<Figures> figures = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            Arrays.sort(seconds[i]);
            Arrays.sort(wall[i]);
            figures.add(new Figures(contenders.get(i).name(), rows, contenders.get(i).file().length,
                    seconds[i][MEASURED_PASSES / 2], wall[i][MEASURED_PASSES / 2],
                    (double) allocated[i] / ((long) MEASURED_PASSES * rows)));
        }
        return figures;
    }

    private static void check(String name, long read, int rows) {
        if (read != rows) {
            throw new IllegalStateException(name + " read " + read + " rows, not " + rows);
        }
    }

    /** This thread's CPU time and the time spent in collections (which run on other threads), in ns. */
    private static long cpuNanos() {
        long gcMillis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + gcMillis * 1_000_000;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static String compilers() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:TieredStopAtLevel=")) ? "C1 only" : "C1 and C2";
    }

    private long fastCsv(byte[] file) throws IOException {
        long rows = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(new ByteArrayInputStream(file),
                StandardCharsets.UTF_8)) {
            boolean header = true;
            for (CsvRecord record : reader) {
                for (int i = 0; i < record.getFieldCount(); i++) {
                    sink += record.getField(i).length();
                }
                if (!header) {
                    rows++;
                }
                header = false;
            }
        }
        return rows;
    }

    private long commonsCsv(byte[] file) throws IOException {
        long rows = 0;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(file), StandardCharsets.UTF_8))) {
            for (CSVRecord record : parser) {
                for (int i = 0; i < record.size(); i++) {
                    sink += record.get(i).length();
                }
                rows++;
            }
        }
        return rows;
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** Every value materialised as the pipeline needs it: strings as Strings, numbers as long or double. */
    private long jackson(byte[] file) throws IOException {
        long rows = 0;
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(file))) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case VALUE_STRING -> sink += parser.getText().length();
                    case VALUE_NUMBER_INT -> sink += parser.getLongValue();
                    case VALUE_NUMBER_FLOAT -> sink += (long) parser.getDoubleValue();
                    case VALUE_TRUE -> sink++;
                    case END_OBJECT -> rows++;
                    default -> { }
                }
            }
        }
        return rows;
    }

    private static long pipeline(RecordSchema schema, DataFormat format, byte[] file) {
        ObjectStore objects = new BytesObjectStore(start -> new ByteArrayInputStream(file, (int) start, file.length - (int) start));
        RecordCounts counts = StandaloneIngest.ingest(new NowhereRecordStore(), objects, "bench", schema,
                new ChunkTask(0, "bench", "items." + (format == DataFormat.CSV ? "csv" : "jsonl"), format, false, 0,
                        file.length, 1, null, file.length));
        if (counts.failed() != 0) {
            throw new IllegalStateException(counts.failed() + " rows failed");
        }
        return counts.added();
    }

    /** Runs the pipeline part in a child JVM with the given options; returns CSV and JSON Lines rows/s. */
    private static double[] forkPipeline(int rows, List<String> jvmOptions) throws Exception {
        List<String> lines = fork(jvmOptions, "pipeline", Integer.toString(rows));
        String last = lines.get(lines.size() - 1);
        String[] parts = last.split(" ");
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }

    private static List<String> fork(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PipelineBench.class.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (child.waitFor() != 0 || lines.isEmpty()) {
            throw new IllegalStateException("the child JVM failed: " + String.join("\n", lines));
        }
        return lines;
    }

    /** `--heap`: a generated import of {@code bytes} of CSV through the pipeline in a child JVM under -Xmx256m. */
    void heap(long bytes) throws Exception {
        out.printf(Locale.ROOT, "Peak heap of a %,d-byte CSV import (one chunk, generated while read; record store keeps"
                + " nothing) in a child JVM with -Xmx256m -XX:+UseSerialGC:%n", bytes);
        List<String> lines = fork(List.of("-Xmx256m", "-XX:+UseSerialGC"), "heap", Long.toString(bytes));
        out.println("  " + lines.get(lines.size() - 1));
    }

    /** The child JVMs' side: {@code pipeline ROWS} or {@code heap BYTES}. */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pipeline" -> {
                int rows = Integer.parseInt(args[1]);
                PipelineBench bench = new PipelineBench(System.err);
                RecordSchema schema = RecordSchema.parse(SCHEMA, List.of("ID"));
                List<Figures> figures = bench.measure(rows, List.of(
                        new Contender("CSV", csv(rows), file -> pipeline(schema, DataFormat.CSV, file)),
                        new Contender("JSON Lines", jsonLines(rows), file -> pipeline(schema, DataFormat.JSON_LINES, file))));
                System.out.println("rows/s " + figures.get(0).rowsPerSecond() + " " + figures.get(1).rowsPerSecond());
            }
            case "heap" -> heapChild(Long.parseLong(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void heapChild(long bytes) throws Exception {
        AtomicLong peakBeforeGc = new AtomicLong();
        List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).toList();
        // Heap in use just before each collection is the high-water mark between two collections.
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                CompositeData info = (CompositeData) ((CompositeData) notification.getUserData()).get("gcInfo");
                var gcInfo = com.sun.management.GcInfo.from(info);
                long used = 0;
                for (Map.Entry<String, MemoryUsage> pool : gcInfo.getMemoryUsageBeforeGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                peakBeforeGc.accumulateAndGet(used, Math::max);
            }, null, null);
        }
        long[] rowsAndBytes = new long[2];
        ObjectStore objects = new BytesObjectStore(start -> start == 0 ? new GeneratedCsv(bytes, rowsAndBytes)
                : InputStream.nullInputStream());
        long start = System.nanoTime();
        RecordCounts counts = StandaloneIngest.ingest(new NowhereRecordStore(), objects, "bench",
                RecordSchema.parse(SCHEMA, List.of("ID")), new ChunkTask(0, "bench", "big.csv", DataFormat.CSV, false, 0,
                        bytes, 1, null, bytes));
        double seconds = (System.nanoTime() - start) / 1e9;
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long peak = Math.max(peakBeforeGc.get(), used);
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        if (counts.added() != rowsAndBytes[0] || counts.failed() != 0) {
            throw new IllegalStateException("counted " + counts + " of " + rowsAndBytes[0] + " rows");
        }
        System.out.printf(Locale.ROOT, "%,d rows, %,d bytes in %.1f s: peak heap used %.1f MB of %.0f MB max"
                        + " (highest heap in use before a GC, or at the end)%n", counts.added(), rowsAndBytes[1], seconds,
                peak / 1e6, max / 1e6);
    }

    static byte[] csv(int rows) {
        ByteArrayOutputStream file = new ByteArrayOutputStream(rows * 110);
        file.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
        StringBuilder row = new StringBuilder(256);
        for (int i = 0; i < rows; i++) {
            row.setLength(0);
            csvRow(i, row);
            file.writeBytes(row.toString().getBytes(StandardCharsets.UTF_8));
        }
        return file.toByteArray();
    }

    /**
     * Row {@code i}: quoted strings with commas (and now and then a doubled quote), a double, an int,
     * a long, a boolean, and an empty (null) description every 50th row.
     */
    static void csvRow(int i, StringBuilder row) {
        row.append("item-").append(i).append(",\"Widget, model ").append(i % 9973).append("\",cat-").append(i % 97)
                .append(',').append(i % 100_000).append('.').append(i % 100).append(',').append(i % 1000).append(',')
                .append(1_700_000_000L + i).append(',').append(i % 3 == 0).append(',');
        if (i % 50 != 0) {
            row.append("\"A fine item, size ").append(i % 13).append(", in ").append(COLORS[i % COLORS.length])
                    .append(i % 10 == 0 ? ", 5\"\" wide" : ", for home").append('"');
        }
        row.append('\n');
    }

    static byte[] jsonLines(int rows) {
        ByteArrayOutputStream file = new ByteArrayOutputStream(rows * 180);
        StringBuilder row = new StringBuilder(256);
        for (int i = 0; i < rows; i++) {
            row.setLength(0);
            row.append("{\"ID\":\"item-").append(i).append("\",\"NAME\":\"Widget, model ").append(i % 9973)
                    .append("\",\"CATEGORY\":\"cat-").append(i % 97).append("\",\"PRICE\":").append(i % 100_000).append('.')
                    .append(i % 100).append(",\"QUANTITY\":").append(i % 1000).append(",\"CREATED\":")
                    .append(1_700_000_000L + i).append(",\"ACTIVE\":").append(i % 3 == 0).append(",\"DESCRIPTION\":");
            if (i % 50 != 0) {
                row.append("\"A fine item, size ").append(i % 13).append(", in ").append(COLORS[i % COLORS.length])
                        .append(i % 10 == 0 ? ", 5\\\" wide" : ", for home").append('"');
            } else {
                row.append("null");
            }
            row.append("}\n");
            file.writeBytes(row.toString().getBytes(StandardCharsets.UTF_8));
        }
        return file.toByteArray();
    }

    /** The CSV file of {@link #csv} as a stream of rows made as they are read, ending after {@code bytes}' worth of rows. */
    private static final class GeneratedCsv extends InputStream {
        private final long bytes;
        /** Rows and bytes produced so far. */
        private final long[] produced;
        private final StringBuilder text = new StringBuilder(256);
        private byte[] row = HEADER.getBytes(StandardCharsets.UTF_8);
        private int position;
        private int next;

        GeneratedCsv(long bytes, long[] produced) {
            this.bytes = bytes;
            this.produced = produced;
            produced[1] = row.length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == row.length) {
                if (produced[1] >= bytes) {
                    return -1;
                }
                text.setLength(0);
                csvRow(next++, text);
                row = text.toString().getBytes(StandardCharsets.UTF_8);
                position = 0;
                produced[0]++;
                produced[1] += row.length;
            }
            int n = Math.min(len, row.length - position);
            System.arraycopy(row, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** One object, whatever is asked for: the bytes from an offset on. */
    private record BytesObjectStore(java.util.function.LongFunction<InputStream> from) implements ObjectStore {
        @Override
        public List<StoredObject> list(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredObject> head(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
            return from.apply(start);
        }

        @Override
        public InputStream read(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteAll(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }
    }

    /** Reads nothing, keeps nothing: batches of DynamoDB's size (what Lambda writes) go nowhere. */
    static final class NowhereRecordStore implements RecordStore {
        @Override
        public int maxBatch() {
            return 100;
        }

        @Override
        public Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys) {
            return Map.of();
        }

        @Override
        public Set<String> write(String dataset, String generation, String job, List<RecordWrite> writes) {
            return Set.of();
        }

        @Override
        public Optional<String> get(String dataset, String generation, String key) {
            return Optional.empty();
        }

        @Override
        public boolean deleteSome(String dataset, String generation, int max) {
            return true;
        }

        @Override
        public Page<RecordEntry> list(String dataset, String generation, String cursor, int max) {
            return new Page<>(List.of(), null);
        }
    }
}
