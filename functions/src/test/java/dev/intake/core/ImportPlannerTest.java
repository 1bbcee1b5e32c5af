package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.format.DataFormat;
import dev.intake.core.schema.RecordSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportPlannerTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"V","type":"string"}]}""",
            List.of("ID"));

    private final InMemoryPorts.Objects objects = new InMemoryPorts.Objects();

    @Test
    void planningCutsFilesFromTheListingAloneAndReadsNoByteOfThem() {
        objects.put("bucket", "in/a.csv", "ID,V\n" + "x,\"multi\nline\"\n".repeat(20)); // 305 bytes
        objects.put("bucket", "in/b.jsonl", "{\"ID\":\"y\",\"V\":\"1\"}\n".repeat(3)); // 57 bytes
        objects.put("bucket", "in/c.csv.gz", new byte[500], "application/gzip");
        objects.put("bucket", "in/d.csv", "NOT,THE,HEADER\n"); // a header the schema refuses: the chunk says so, not Plan
        objects.put("bucket", "in/empty.csv", "");

        ImportPlanner.Plan plan = new ImportPlanner(100).plan(objects, DataLocation.parse("s3://bucket/in/"), SCHEMA);

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
