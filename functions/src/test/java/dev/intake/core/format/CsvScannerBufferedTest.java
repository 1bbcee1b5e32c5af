package dev.intake.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner's tight loop for plain records ({@code CsvScanner.scanBuffered}) reads every record
 * as its general reading does: same boundaries, lines, fields, quoting and reasons, on generated
 * valid and hostile CSV, with buffers and chunk ends that fall anywhere.
 */
class CsvScannerBufferedTest {
    private static final String[] FIELDS = {
        "", "a", "text", "\"\"", "\"quoted\"", "\"with, comma\"", "\"5\"\" wide\"", "\"\"\"\"", "5'10\" tall", "\"open",
        "\"closed\" after", "\"two\nlines\"", "\"cr\rinside\"", "\"crlf\r\ninside\"", "\u00e9t\u00e9", "\"\u20ac\"",
        "\ud83d\ude00", " ", "\t", "x\"", "\"a\"\"", "12.5", "-7",
    };
    private static final String[] BREAKS = {"\n", "\n", "\n", "\r\n", "\r", ""};

    @Test
    void plainRecordsScanAsTheGeneralReadingScansThem() throws IOException {
        Random random = new Random(20261129);
        for (int file = 0; file < 2_000; file++) {
            byte[] bytes = csv(random, 1 + random.nextInt(60));
            int maxRecordBytes = random.nextBoolean() ? CsvScanner.DEFAULT_MAX_RECORD_BYTES : 8 + random.nextInt(60);
            long logicalEnd = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : Long.MAX_VALUE;
            int bufferBytes = random.nextBoolean() ? 64 * 1024 : 1 + random.nextInt(64);
            List<String> buffered = scan(bytes, logicalEnd, maxRecordBytes, bufferBytes, true);
            List<String> general = scan(bytes, logicalEnd, maxRecordBytes, bufferBytes, false);
            assertThat(buffered).as("file %d: %s", file, new String(bytes, StandardCharsets.UTF_8)).isEqualTo(general);
        }
    }

    @Test
    void aCrJustBeforeTheChunkEndIsALoneCrThereToo() throws IOException {
        // The unterminated quote makes the scanner read past the chunk's end; "b" then ends at a CR
        // right before it, which is a lone CR there (the chunk's last record), whatever follows.
        byte[] bytes = "\"open\r\nb\r\nc,d\r\n".getBytes(StandardCharsets.UTF_8);
        long logicalEnd = "\"open\r\nb\r".length();
        List<String> general = scan(bytes, logicalEnd, 1 << 20, 64 * 1024, false);
        assertThat(general).hasSize(2);
        assertThat(general.get(1)).startsWith("2-3 @" + logicalEnd);
        assertThat(scan(bytes, logicalEnd, 1 << 20, 64 * 1024, true)).isEqualTo(general);
    }

    @Test
    void plainRecordsAreScannedInTheTightLoopAndKnownAscii() throws IOException {
        byte[] bytes = "a,\"b, c\",\"5\"\" wide\",\n\u00e9,x\r\ny,z\n".getBytes(StandardCharsets.UTF_8);
        CsvScanner scanner = new CsvScanner(new ByteArrayInputStream(bytes), 1, Long.MAX_VALUE, 1 << 20);
        assertThat(scanner.next()).isTrue();
        assertThat(scanner.ascii()).as("read by the tight loop, all ASCII").isTrue();
        assertThat(scanner.fieldCount()).isEqualTo(4);
        assertThat(scanner.next()).isTrue();
        assertThat(scanner.ascii()).as("not ASCII").isFalse();
        assertThat(scanner.recordLine()).isEqualTo(2);
        assertThat(scanner.next()).isTrue();
        assertThat(scanner.recordLine()).isEqualTo(3);
        assertThat(scanner.ascii()).as("the last record: its LF is in the buffer").isTrue();
        assertThat(scanner.next()).isFalse();
    }

    private static byte[] csv(Random random, int records) {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < records; r++) {
            int fields = 1 + random.nextInt(5);
            for (int f = 0; f < fields; f++) {
                if (f > 0) {
                    text.append(',');
                }
                text.append(random.nextInt(3) == 0 ? FIELDS[random.nextInt(FIELDS.length)] : FIELDS[random.nextInt(8)]);
            }
            text.append(BREAKS[random.nextInt(r == records - 1 ? BREAKS.length : BREAKS.length - 1)]);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Every record as a line of text: where it starts and ends, its reason or its fields. */
    private static List<String> scan(byte[] bytes, long logicalEnd, int maxRecordBytes, int bufferBytes, boolean buffered)
            throws IOException {
        CsvScanner scanner = new CsvScanner(new ByteArrayInputStream(bytes), 1, logicalEnd, maxRecordBytes, bufferBytes);
        scanner.scanBufferedRecords(buffered);
        List<String> records = new ArrayList<>();
        while (scanner.next()) {
            StringBuilder record = new StringBuilder();
            record.append(scanner.recordLine()).append('-').append(scanner.line()).append(" @").append(scanner.recordEnd());
            if (scanner.problem() != null) {
                record.append(" failed: ").append(scanner.problem());
            } else {
                record.append(" blank=").append(scanner.blank());
                for (int i = 0; i < scanner.fieldCount(); i++) {
                    byte[] field = Arrays.copyOfRange(scanner.fieldBytes(), scanner.fieldStart(i), scanner.fieldEnd(i));
                    record.append(" [").append(scanner.fieldQuoted(i) ? "q:" : "").append(Arrays.toString(field)).append(']');
                }
            }
            records.add(record.toString());
        }
        return records;
    }
}
