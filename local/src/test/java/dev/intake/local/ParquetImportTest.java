package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.Services;
import dev.intake.core.ChunkTask;
import dev.intake.core.ImportFailedException;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.format.DataFormat;
import dev.intake.core.format.parquet.ParquetFiles;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parquet imports through the engine's steps on the embedded store and S3Proxy: the same logical rows
 * as CSV and as Parquet give the same counts and records, however the files are cut into chunks.
 */
class ParquetImportTest {
    private static final String SCHEMA = ImportEngineTest.SCHEMA; // ID string, NAME string, PRICE nullable double
    private static final String PARQUET_SCHEMA = "message items { required binary ID (STRING); optional binary NAME (STRING);"
            + " optional double PRICE; }";
    private static LocalFixture aws;
    private static Services services;
    private static int counter;

    @BeforeAll
    static void start() throws Exception {
        aws = new LocalFixture();
        services = aws.services(512); // small chunks: each file is cut into several
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + (++counter);
    }

    private static String dataset() {
        String name = unique("pq");
        services.datasets.create(name, SCHEMA, List.of("ID"));
        return name;
    }

    private static List<ChunkTask> planned;

    private static ImportJob run(String dataset, String location, ImportMode mode) {
        ImportJob job = services.jobs.create(new NewImport(unique("job"), dataset, location, mode, null, Map.of(), false, null));
        assertThat(services.workflow.turn(job.name()).name()).isEqualTo("GO");
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        planned = chunks;
        chunks.forEach(chunk -> services.workflow.ingest(job.name(), chunk));
        List<Integer> recount = services.workflow.reconcile(job.name(), chunks.size());
        chunks.stream().filter(c -> recount.contains(c.index())).forEach(c -> services.workflow.ingest(job.name(), c, 2));
        return services.workflow.finish(job.name(), chunks.size(), recount);
    }

    /** Row i of a generation: keys repeat (skipped rows), some rows lack NAME or have an empty key (failed rows). */
    private static String id(int i) {
        return i % 97 == 13 ? "" : "id-" + (i % 150);
    }

    private static String name(int i, String version) {
        return i % 37 == 5 ? null : "name, \"" + i + "\" " + (i % 3 == 0 ? version : "v1");
    }

    private static Double price(int i) {
        return i % 5 == 0 ? null : i + 0.25;
    }

    private static String csv(int rows, String version) {
        StringBuilder csv = new StringBuilder("ID,NAME,PRICE\n");
        for (int i = 0; i < rows; i++) {
            String name = name(i, version);
            // an empty key is a quoted empty field, the empty string (as Parquet's ""), not an absent value
            csv.append(id(i).isEmpty() ? "\"\"" : id(i)).append(',').append(name == null ? "" : "\"" + name.replace("\"", "\"\"") + "\"").append(',')
                    .append(price(i) == null ? "" : price(i).toString()).append('\n');
        }
        return csv.toString();
    }

    private static byte[] parquet(int rows, String version, int rowsPerGroup) {
        return ParquetFiles.write(PARQUET_SCHEMA, rowsPerGroup, CompressionCodecName.SNAPPY, rows, (i, g) -> {
            g.add("ID", id(i));
            if (name(i, version) != null) {
                g.add("NAME", name(i, version));
            }
            if (price(i) != null) {
                g.add("PRICE", price(i));
            }
        });
    }

    @Test
    void theSameRowsAsCsvAndAsParquetGiveTheSameCountsRecordsAndErrorLines() {
        String fromCsv = dataset();
        String fromParquet = dataset();
        aws.put(fromCsv + "/v1.csv", csv(400, "v1"));
        aws.put(fromParquet + "/v1.parquet", parquet(400, "v1", 16));

        ImportJob csvJob = run(fromCsv, "s3://data/" + fromCsv + "/v1.csv", ImportMode.FULL);
        ImportJob parquetJob = run(fromParquet, "s3://data/" + fromParquet + "/v1.parquet", ImportMode.FULL);
        assertThat(planned).hasSizeGreaterThan(3); // the Parquet file was cut into several chunks
        assertThat(planned).allSatisfy(c -> assertThat(c.format()).isEqualTo(DataFormat.PARQUET));
        assertThat(parquetJob.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(counts(parquetJob)).isEqualTo(counts(csvJob));
        assertThat(parquetJob.statistics().failed()).isEqualTo(15);
        assertThat(parquetJob.statistics().skipped()).isGreaterThan(200);

        // an INCREMENTAL import of changed rows: updated and unchanged alike
        aws.put(fromCsv + "/v2.csv", csv(300, "v2"));
        aws.put(fromParquet + "/v2.parquet", parquet(300, "v2", 7));
        ImportJob csvUpdate = run(fromCsv, "s3://data/" + fromCsv + "/v2.csv", ImportMode.INCREMENTAL);
        ImportJob parquetUpdate = run(fromParquet, "s3://data/" + fromParquet + "/v2.parquet", ImportMode.INCREMENTAL);
        assertThat(counts(parquetUpdate)).isEqualTo(counts(csvUpdate));
        assertThat(parquetUpdate.statistics().updated()).isPositive();
        assertThat(parquetUpdate.statistics().unchanged()).isPositive();

        for (int k = 0; k < 150; k++) {
            assertThat(record(fromParquet, "id-" + k)).as("id-%d", k).isEqualTo(record(fromCsv, "id-" + k));
        }
        assertThat(record(fromParquet, "id-3")).contains("name, \\\"");

        // the error report: the same rows, a Parquet row by its number in the file (1-based) where
        // CSV has its line (the header is line 1, so row n is line n + 1)
        List<String> csvErrors = errors(csvJob);
        List<String> parquetErrors = errors(parquetJob);
        assertThat(parquetErrors).hasSameSizeAs(csvErrors).hasSize(15);
        for (int e = 0; e < csvErrors.size(); e++) {
            String[] c = csvErrors.get(e).split(",", 3);
            String[] p = parquetErrors.get(e).split(",", 3);
            assertThat(Long.parseLong(p[1])).isEqualTo(Long.parseLong(c[1]) - 1);
            assertThat(p[2]).isEqualTo(c[2]);
            assertThat(p[0]).endsWith(".parquet\"");
        }
    }

    private static List<Long> counts(ImportJob job) {
        var s = job.statistics();
        return List.of(s.added(), s.updated(), s.unchanged(), s.skipped(), s.failed());
    }

    private static String record(String dataset, String id) {
        return services.datasets.record(dataset, Map.of("ID", id)).orElse(null);
    }

    private static List<String> errors(ImportJob job) {
        return aws.read("results", "error-reports/" + job.name() + ".csv").lines().skip(1).toList();
    }

    @Test
    void aDamagedOrTruncatedParquetFileFailsTheJobNamingIt() {
        String ds = dataset();
        byte[] file = parquet(400, "v1", 16);
        aws.put(ds + "/cut.parquet", Arrays.copyOf(file, file.length / 2));
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/cut.parquet",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name()); // planning reads nothing
        assertThat(chunks).isNotEmpty();
        // a final failure (the job fails), not a transient one that the state machine would retry
        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0))).isInstanceOf(ImportFailedException.class)
                .hasMessage("Could not read s3://data/" + ds + "/cut.parquet as Parquet: it does not end with Parquet's "
                        + "magic number PAR1 (not a Parquet file, or cut short)");
    }

    @Test
    void aParquetFileWhoseColumnsDoNotFitTheSchemaFailsTheJob() {
        String ds = dataset();
        aws.put(ds + "/wrong.parquet", ParquetFiles.write("message m { required binary ID (STRING); required binary NAME "
                + "(STRING); optional boolean PRICE; }", 10, CompressionCodecName.SNAPPY, 3, (i, g) -> {
                    g.add("ID", "a" + i);
                    g.add("NAME", "n");
                    g.add("PRICE", true);
                }));
        ImportJob job = services.jobs.create(new NewImport(unique("job"), ds, "s3://data/" + ds + "/wrong.parquet",
                ImportMode.FULL, null, Map.of(), false, null));
        services.workflow.start(job.name());
        List<ChunkTask> chunks = services.workflow.plan(job.name());
        assertThatThrownBy(() -> services.workflow.ingest(job.name(), chunks.get(0))).isInstanceOf(ImportFailedException.class)
                .hasMessage("File s3://data/" + ds + "/wrong.parquet: column 'PRICE' (BOOLEAN) cannot be read into field "
                        + "'PRICE' of type double");
    }

    @Test
    void aParquetFileWithoutRowsCountsAsAHeaderOnlyCsvDoes() {
        String fromCsv = dataset();
        String fromParquet = dataset();
        aws.put(fromCsv + "/empty.csv", "ID,NAME,PRICE\n");
        aws.put(fromParquet + "/empty.parquet", parquet(0, "v1", 16));
        ImportJob csvJob = run(fromCsv, "s3://data/" + fromCsv + "/empty.csv", ImportMode.FULL);
        ImportJob parquetJob = run(fromParquet, "s3://data/" + fromParquet + "/empty.parquet", ImportMode.FULL);
        assertThat(parquetJob.status()).isEqualTo(csvJob.status());
        assertThat(counts(parquetJob)).isEqualTo(counts(csvJob)).containsOnly(0L);
        assertThat(parquetJob.failureReason() == null).isEqualTo(csvJob.failureReason() == null);
    }

    @Test
    void aFolderMixingCsvAndParquetReadsBothAndAGzippedParquetFileIsDiscarded() {
        String ds = dataset();
        aws.put(ds + "/mixed/a.csv", "ID,NAME,PRICE\ncsv-1,one,1.5\n");
        aws.put(ds + "/mixed/b.parquet", ParquetFiles.write(PARQUET_SCHEMA, 10, CompressionCodecName.GZIP, 2, (i, g) -> {
            g.add("ID", "pq-" + i);
            g.add("NAME", "two");
        }));
        aws.put(ds + "/mixed/c.parquet.gz", new byte[] {1, 2, 3});
        ImportJob job = run(ds, "s3://data/" + ds + "/mixed/", ImportMode.FULL);
        assertThat(job.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(job.statistics().added()).isEqualTo(3);
        assertThat(job.statistics().filesIngested()).isEqualTo(2);
        assertThat(job.statistics().filesDiscarded()).isEqualTo(1);
        assertThat(record(ds, "pq-1")).isEqualTo("{\"ID\":\"pq-1\",\"NAME\":\"two\",\"PRICE\":null}");
    }
}
