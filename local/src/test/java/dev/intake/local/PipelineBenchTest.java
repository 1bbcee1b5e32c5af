package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PipelineBenchTest {
    @Test
    void printsThePipelineNextToEachBareParseOfTheSameRows() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Every contender checks it read all the rows (the pipeline: that all were added), else it throws.
        new PipelineBench(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0).run(3_000, false);
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("Per-row pipeline, 3,000 rows of 8 fields")
                .containsPattern("FastCSV 4\\.1\\.0, bare parse +[\\d,]+ +[\\d.,]+ +[\\d,]+ +1\\.00")
                .containsPattern("Commons CSV 1\\.14\\.1, bare parse .* of FastCSV")
                .containsPattern("Intake pipeline, CSV .* of FastCSV, [\\d.]+ of Commons CSV")
                .containsPattern("Jackson 2 streaming, bare parse +[\\d,]+ +[\\d.,]+ +[\\d,]+ +1\\.00")
                .containsPattern("Intake pipeline, JSON Lines .* of Jackson");
    }

    @Test
    void theGeneratedCsvAndJsonLinesHoldTheSameRows() {
        String csv = new String(PipelineBench.csv(100), StandardCharsets.UTF_8);
        String jsonLines = new String(PipelineBench.jsonLines(100), StandardCharsets.UTF_8);
        assertThat(csv.lines()).hasSize(101).first().isEqualTo("ID,NAME,CATEGORY,PRICE,QUANTITY,CREATED,ACTIVE,DESCRIPTION");
        assertThat(csv.lines().skip(11).findFirst()).hasValue(
                "item-10,\"Widget, model 10\",cat-10,10.10,10,1700000010,false,\"A fine item, size 10, in black, 5\"\" wide\"");
        assertThat(jsonLines.lines().skip(10).findFirst()).hasValue("{\"ID\":\"item-10\",\"NAME\":\"Widget, model 10\","
                + "\"CATEGORY\":\"cat-10\",\"PRICE\":10.10,\"QUANTITY\":10,\"CREATED\":1700000010,\"ACTIVE\":false,"
                + "\"DESCRIPTION\":\"A fine item, size 10, in black, 5\\\" wide\"}");
        assertThat(jsonLines.lines()).hasSize(100);
    }
}
