package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.format.DataFormat;
import dev.intake.core.schema.RecordSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How Plan cuts files (from the listing alone), how many files and chunks one import may have, and
 * how chunks grow to stay within that.
 */
class ImportPlannerTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"}]}""", List.of("ID"));
    private static final RecordSchema TWO_FIELDS = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"V","type":"string"}]}""",
            List.of("ID"));

    @Test
    void theEngineAllowsEightyThousandChunksSoFiftyThousandFilesFit() {
        assertThat(ImportPlanner.MAX_CHUNKS).isEqualTo(80_000);
        // The Distributed Map's result, one {} per chunk with its comma, within Step Functions' 256 KiB.
        assertThat(3L * ImportPlanner.MAX_CHUNKS + 1).isLessThanOrEqualTo(256 * 1024);
        // A row's position packs the chunk index into the upper 32 bits of a long.
        assertThat((long) ImportPlanner.MAX_CHUNKS).isLessThan(1L << 31);
    }

    @Test
    void moreFilesThanChunksAllowedFailWithAReason() {
        InMemoryPorts.Objects objects = new InMemoryPorts.Objects();
        for (int i = 0; i < 6; i++) {
            objects.put("data", "many/part-" + i + ".csv", "ID\na\n");
        }
        ImportPlanner planner = new ImportPlanner(64, 5);
        assertThatThrownBy(() -> planner.plan(objects, DataLocation.parse("s3://data/many/"), SCHEMA))
                .isInstanceOf(ImportFailedException.class)
                .hasMessage("s3://data/many/ holds 6 data files; one import reads at most 5 files: "
                        + "import the folder in parts (sub-folders), or combine files");
        assertThat(new ImportPlanner(64, 6).plan(objects, DataLocation.parse("s3://data/many/"), SCHEMA).chunks())
                .hasSize(6);
    }

    @Test
    void chunksGrowRatherThanOutnumberTheBound() {
        InMemoryPorts.Objects objects = new InMemoryPorts.Objects();
        StringBuilder csv = new StringBuilder("ID\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("id-").append(i).append('\n');
        }
        objects.put("data", "big.csv", csv.toString());
        int bytes = csv.toString().getBytes(StandardCharsets.UTF_8).length;

        List<ChunkTask> small = new ImportPlanner(64, 100).plan(objects, DataLocation.parse("s3://data/big.csv"), SCHEMA)
                .chunks();
        List<ChunkTask> unbounded = new ImportPlanner(64, 80_000).plan(objects, DataLocation.parse("s3://data/big.csv"),
                SCHEMA).chunks();

        assertThat(small.size()).isBetween(50, 100);
        assertThat(unbounded.size()).as("~%d bytes in 64-byte chunks", bytes).isGreaterThan(bytes / 64 - 10);
        assertThat(small.get(small.size() - 1).end()).isEqualTo(bytes);
    }

    @Test
    void planningCutsFilesFromTheListingAloneAndReadsNoByteOfThem() {
        InMemoryPorts.Objects objects = new InMemoryPorts.Objects();
        objects.put("bucket", "in/a.csv", "ID,V\n" + "x,\"multi\nline\"\n".repeat(20)); // 305 bytes
        objects.put("bucket", "in/b.jsonl", "{\"ID\":\"y\",\"V\":\"1\"}\n".repeat(3)); // 57 bytes
        objects.put("bucket", "in/c.csv.gz", new byte[500], "application/gzip");
        objects.put("bucket", "in/d.csv", "NOT,THE,HEADER\n"); // a header the schema refuses: the chunk says so, not Plan
        objects.put("bucket", "in/empty.csv", "");

        ImportPlanner.Plan plan = new ImportPlanner(100).plan(objects, DataLocation.parse("s3://bucket/in/"), TWO_FIELDS);

        assertThat(objects.opened).as("ranged reads while planning").isEmpty();
        assertThat(plan.chunks()).extracting(ChunkTask::key, ChunkTask::start, ChunkTask::end, ChunkTask::firstLine,
                ChunkTask::gzip).containsExactly(
                org.assertj.core.groups.Tuple.tuple("in/a.csv", 0L, 101L, 1L, false), // equal ranges, none below the target
                org.assertj.core.groups.Tuple.tuple("in/a.csv", 101L, 203L, 2L, false),
                org.assertj.core.groups.Tuple.tuple("in/a.csv", 203L, 305L, 2L, false),
                org.assertj.core.groups.Tuple.tuple("in/b.jsonl", 0L, 57L, 1L, false),
                org.assertj.core.groups.Tuple.tuple("in/c.csv.gz", 0L, 500L, 1L, true), // gzip: one chunk, streamed
                org.assertj.core.groups.Tuple.tuple("in/d.csv", 0L, 15L, 1L, false));
        assertThat(plan.chunks()).extracting(ChunkTask::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(plan.chunks().get(3).format()).isEqualTo(DataFormat.JSON_LINES);
        assertThat(plan.files().filesTotal()).isEqualTo(5);
        assertThat(plan.files().bytes()).isEqualTo(305 + 57 + 500 + 15);
    }
}
