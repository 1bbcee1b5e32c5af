package dev.intake.core.format;

import static dev.intake.core.format.Rows.malformed;
import static dev.intake.core.format.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files are UTF-8: a record with bytes that are not fails with the line they are on, and is never
 * read with a replacement character (two distinct keys would collapse into one).
 */
class Utf8Test {
    /** Text with {@code \\xNN} standing for a raw byte. */
    private static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\x", i)) {
                out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.writeBytes(String.valueOf(text.charAt(i)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Gives at most {@code max} bytes per read, so characters and sequences straddle reads. */
    private static InputStream trickle(byte[] data, int max) {
        return new FilterInputStream(new java.io.ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }

    private static List<RawRow> read(DataFormat format, byte[] data, int trickle) throws IOException {
        try (RowReader reader = RowReaders.open(format, trickle(data, trickle), 1, null)) {
            return Rows.readAll(reader);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1 << 20})
    void distinctKeysWithBadBytesFailInsteadOfCollapsing(int trickle) throws IOException {
        byte[] csv = bytes("id,name\nk\\xff,a\nk\\xfe,b\nk\\xc3\\xa9,c\nok,\"two\nli\\xe2\\x28nes\"\nlast,\\xef\\xbf\\xbd\n");
        assertThat(read(DataFormat.CSV, csv, trickle)).containsExactly(
                malformed(2, "not valid UTF-8 at line 2"),
                malformed(3, "not valid UTF-8 at line 3"),
                row(4, "id", "k\u00e9", "name", "c"),
                malformed(5, "not valid UTF-8 at line 6"),
                row(7, "id", "last", "name", "\uFFFD")); // U+FFFD written as UTF-8 is data like any other
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\xc3", "\\xe2\\x82", "\\xf0\\x9f\\x98", "\\xed\\xa0\\x80", "\\xc0\\xaf", "\\xf8\\x88\\x80\\x80\\x80"})
    void truncatedSurrogateAndOverlongSequencesAreNotUtf8(String sequence) throws IOException {
        byte[] csv = bytes("id\nbefore\nx" + sequence + "\nafter\nend" + sequence);
        assertThat(read(DataFormat.CSV, csv, 1)).containsExactly(row(2, "id", "before"),
                malformed(3, "not valid UTF-8 at line 3"), row(4, "id", "after"), malformed(5, "not valid UTF-8 at line 5"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1 << 20})
    void fourByteCharactersAcrossReadsAreFine(int trickle) throws IOException {
        String many = "\uD83D\uDE00".repeat(5000); // longer than the decoder's buffers
        assertThat(read(DataFormat.CSV, ("id\n" + many + "\n").getBytes(StandardCharsets.UTF_8), trickle))
                .containsExactly(row(2, "id", many));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 1 << 20})
    void aJsonLineWithBadBytesFailsAndTheNextLineIsRead(int trickle) throws IOException {
        byte[] jsonl = bytes("{\"id\":\"a\\xff\"}\n{\"id\":\"b\"}\r\n{\"id\":\"\\xe2\\x82\"}\n{\"id\":\"\\xe2\\x82\\xac\"}\n");
        assertThat(read(DataFormat.JSON_LINES, jsonl, trickle)).containsExactly(malformed(1, "not valid UTF-8 at line 1"),
                row(2, "id", "b"), malformed(3, "not valid UTF-8 at line 3"), row(4, "id", "\u20ac"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void aHeaderWithBadBytesFailsTheFile(int trickle) {
        assertThatThrownBy(() -> read(DataFormat.CSV, bytes("id,n\\xffame\n1,2\n"), trickle))
                .isInstanceOf(IOException.class).hasMessage("CSV header not valid UTF-8 at line 1");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void aByteOrderMarkIsNotData(int trickle) throws IOException {
        List<RawRow> rows = new ArrayList<>(read(DataFormat.CSV, bytes("\\xef\\xbb\\xbfid\nx\n"), trickle));
        assertThat(rows).containsExactly(row(2, "id", "x"));
    }
}
