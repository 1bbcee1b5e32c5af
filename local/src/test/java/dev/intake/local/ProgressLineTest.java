package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's progress bar: one line redrawn in place on a terminal, a line per change elsewhere. */
class ProgressLineTest {
    private static JsonNode progress(long filesDone, long bytesDone, long rowsDone, long rowsTotal, Long eta) throws Exception {
        return Json.parse("{\"filesDone\":" + filesDone + ",\"filesTotal\":4,\"bytesDone\":" + bytesDone
                + ",\"bytesTotal\":1000000,\"rowsDone\":" + rowsDone + ",\"rowsTotalEstimated\":" + rowsTotal
                + ",\"rowsPerSecond\":100.0" + (eta == null ? "" : ",\"estimatedSecondsRemaining\":" + eta) + "}");
    }

    @Test
    void theLineShowsABarFilesBytesRowsThePaceAndTheTimeLeft() throws Exception {
        assertThat(ProgressLine.render(progress(1, 250_000, 10_000, 40_000, 300L)))
                .isEqualTo("[######------------------]  25%  1/4 files  0.3/1.0 MB  10,000/~40,000 rows  100 rows/s  ETA 5:00");
        assertThat(ProgressLine.render(progress(4, 1_000_000, 41_000, 41_000, 0L)))
                .isEqualTo("[########################] 100%  4/4 files  1.0/1.0 MB  41,000/41,000 rows  100 rows/s  ETA 0:00");
        assertThat(ProgressLine.render(progress(0, 0, 0, 0, null)))
                .isEqualTo("[------------------------]   0%  0/4 files  0.0/1.0 MB  0 rows");
        assertThat(ProgressLine.render(Json.parse("{\"bytesTotal\":0}"))).endsWith("listing and checking the files");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndEndedOnce() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        line.show(1.0, progress(1, 250_000, 10_000, 40_000, 300L));
        line.show(1.1, progress(1, 250_000, 10_000, 40_000, 300L)); // unchanged: not drawn again
        line.show(2.0, progress(4, 1_000_000, 41_000, 41_000, 0L));
        line.end();
        line.end();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\r     1.00 s  [######").doesNotContain("1.10 s");
        assertThat(text.split("\r", -1)).hasSize(3);
        assertThat(text).contains("\r     2.00 s  [########################] 100%").endsWith(System.lineSeparator());
        assertThat(text.chars().filter(c -> c == '\n').count()).as("one line, ended once").isEqualTo(1);
    }

    @Test
    void elsewhereEachChangeIsALineOfItsOwn() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.show(1.0, progress(1, 250_000, 10_000, 40_000, 300L));
        line.show(1.1, progress(1, 250_000, 10_000, 40_000, 299L)); // only the time left moved: no line
        line.show(2.0, progress(4, 1_000_000, 41_000, 41_000, 0L));
        line.end();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r");
        assertThat(text.lines()).containsExactly(
                "     1.00 s  [######------------------]  25%  1/4 files  0.3/1.0 MB  10,000/~40,000 rows  100 rows/s  ETA 5:00",
                "     2.00 s  [########################] 100%  4/4 files  1.0/1.0 MB  41,000/41,000 rows  100 rows/s  ETA 0:00");
    }
}
