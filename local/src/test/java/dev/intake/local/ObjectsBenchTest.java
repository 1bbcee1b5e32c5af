package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectsBenchTest {
    @Test
    void printsPlanWithItsListingIngestAndTheListingBothWays() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // The bench throws unless the import ends ACTIVE, and unless each listing finds every object.
        new ObjectsBench(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(1_001);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("Objects: 1,001 CSV objects of 2 rows")
                .containsPattern("plan +[\\d.]+ s +[\\d.]+ s +list, cut into chunks, write the manifest \\(1,001 chunks")
                .containsPattern("listing +[\\d.]+ s +2 pages of ListObjectsV2 in Plan")
                .containsPattern("ingest +[\\d.]+ s +[\\d.]+ s +1,001 chunks")
                .contains("1,001 files, 2,002 rows added")
                .contains("Listing alone, 1,001 objects in 2 pages of 1,000")
                .containsPattern("the store answering each page +[\\d.]+ s")
                .containsPattern("pages cut from one listing +[\\d.]+ s +[\\d.]+ times less");
    }
}
