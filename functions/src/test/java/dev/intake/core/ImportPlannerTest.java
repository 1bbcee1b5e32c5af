package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.schema.RecordSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many files and chunks one import may have, and how chunks grow to stay within that. */
class ImportPlannerTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"R","fields":[{"name":"ID","type":"string"}]}""", List.of("ID"));

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
}
