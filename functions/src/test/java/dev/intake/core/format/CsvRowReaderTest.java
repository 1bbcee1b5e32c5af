package dev.intake.core.format;

import static dev.intake.core.format.Rows.malformed;
import static dev.intake.core.format.Rows.row;
import static dev.intake.core.format.Rows.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvRowReaderTest {

    private static List<RawRow> read(String csv) throws IOException {
        return Rows.readAll(DataFormat.CSV, csv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id,name\n1,a\n2,b\n", "id,name\n1,a\n2,b", "id,name\r\n1,a\r\n2,b\r\n", "id,name\r\n1,a\r\n2,b"})
    void readsRecordsWithLfOrCrlfEndingsWithOrWithoutTrailingNewline(String csv) throws IOException {
        assertThat(read(csv)).containsExactly(row(2, "id", "1", "name", "a"), row(3, "id", "2", "name", "b"));
    }

    @Test
    void readsTheHeader() throws IOException {
        try (RowReader reader = RowReaders.open(DataFormat.CSV, utf8("\uFEFF id ,\"na,me\", x\n"), 1, null)) {
            assertThat(reader.header()).containsExactly("id", "na,me", "x");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void quotedFieldsHoldCommasAndEscapedQuotes() throws IOException {
        assertThat(read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\"\"\n"))
                .containsExactly(row(2, "a", "x, y", "b", "say \"hi\"", "c", "\""));
    }

    @Test
    void quotedFieldsHoldNewlinesAndLaterRowsKeepFileLineNumbers() throws IOException {
        String csv = "id,note\r\n"
                + "1,\"two\r\nlines\"\r\n"
                + "2,\"three\nlines\rhere\"\r\n"
                + "3,plain\r\n";
        assertThat(read(csv)).containsExactly(
                row(2, "id", "1", "note", "two\r\nlines"),
                row(4, "id", "2", "note", "three\nlines\rhere"),
                row(7, "id", "3", "note", "plain"));
    }

    @Test
    void emptyFieldIsNullAndQuotedEmptyIsEmptyString() throws IOException {
        assertThat(read("a,b,c\n,\"\",\n")).containsExactly(row(2, "a", null, "b", "", "c", null));
    }

    @Test
    void keepsSpacesInValues() throws IOException {
        assertThat(read("a,b\n x , \n")).containsExactly(row(2, "a", " x ", "b", " "));
    }

    @Test
    void skipsBlankLinesButCountsThem() throws IOException {
        String csv = "\n\r\nid,name\n\n1,a\n   \n\t\r\n2,b\n\n\n";
        assertThat(read(csv)).containsExactly(row(5, "id", "1", "name", "a"), row(8, "id", "2", "name", "b"));
    }

    @Test
    void quotedEmptyLineInOneColumnFileIsARow() throws IOException {
        assertThat(read("a\n\n\"\"\n")).containsExactly(row(3, "a", ""));
    }

    @Test
    void wrongFieldCountIsAMalformedRowAndReadingContinues() throws IOException {
        assertThat(read("a,b,c,d\n1,2,3,4,5\n1,2\n1,2,3,4\n")).containsExactly(
                malformed(2, "expected 4 fields but found 5"),
                malformed(3, "expected 4 fields but found 2"),
                row(4, "a", "1", "b", "2", "c", "3", "d", "4"));
    }

    @Test
    void unterminatedQuoteAtEndOfInputIsAMalformedRow() throws IOException {
        try (RowReader reader = RowReaders.open(DataFormat.CSV, utf8("a,b\n1,2\n3,\"open\n4,5\n"), 1, null)) {
            assertThat(reader.next()).isEqualTo(row(2, "a", "1", "b", "2"));
            assertThat(reader.next()).isEqualTo(malformed(3, "unterminated quote: the quoted field opened at line 3"
                    + " is not closed before the end of the file; reading resumed at line 4"));
            assertThat(reader.next()).isEqualTo(row(4, "a", "4", "b", "5"));
            assertThat(reader.next()).isNull();
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void unterminatedQuoteOnTheLastLineFailsThatRowOnly() throws IOException {
        assertThat(read("a,b\n1,2\n3,\"open")).containsExactly(row(2, "a", "1", "b", "2"),
                malformed(3, "unterminated quote: the quoted field opened at line 3 is not closed before the end of the file"));
    }

    @Test
    void anUnterminatedQuoteFailsOneRowAndEveryLaterRowIsStillRead() throws IOException {
        StringBuilder csv = new StringBuilder("id,note\n");
        for (int i = 1; i <= 1000; i++) {
            csv.append("r").append(i).append(i == 950 ? ",\"unterminated" : ",n" + i).append('\n');
        }

        List<RawRow> rows = read(csv.toString());

        assertThat(rows).hasSize(1000);
        assertThat(rows.get(949)).isEqualTo(malformed(951, "unterminated quote: the quoted field opened at line 951"
                + " is not closed before the end of the file; reading resumed at line 952"));
        assertThat(rows.get(950)).isEqualTo(row(952, "id", "r951", "note", "n951"));
        assertThat(rows.get(999)).isEqualTo(row(1001, "id", "r1000", "note", "n1000"));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsText() throws IOException {
        assertThat(read("id,height\nr950,5'10\" tall\nr951,6'\nx\"y,z\"w\n")).containsExactly(
                row(2, "id", "r950", "height", "5'10\" tall"),
                row(3, "id", "r951", "height", "6'"),
                row(4, "id", "x\"y", "height", "z\"w"));
    }

    @Test
    void textAfterAClosingQuoteFailsTheRowAndTheRestOfItsLineIsNotANewRow() throws IOException {
        assertThat(read("a,b\n\"5'10\" tall\",x\n1,2\n")).containsExactly(
                malformed(2, "text after the closing quote of the quoted field opened at line 2"
                        + " (a quote inside a quoted field is written as two quotes)"),
                row(3, "a", "1", "b", "2"));
    }

    @Test
    void aQuoteThatClosesBadlyLinesLaterGivesBackTheLinesItSpanned() throws IOException {
        // The quote opened on line 2 is closed on line 4 by a quote followed by text: lines 3 and 4
        // are rows of their own, not part of line 2's value.
        assertThat(read("a,b\n1,\"open\n2,two\n3,\"x\"y\n4,four\n")).containsExactly(
                malformed(2, "text after the closing quote of the quoted field opened at line 2"
                        + " (a quote inside a quoted field is written as two quotes); reading resumed at line 3"),
                row(3, "a", "2", "b", "two"),
                malformed(4, "text after the closing quote of the quoted field opened at line 4"
                        + " (a quote inside a quoted field is written as two quotes)"),
                row(5, "a", "4", "b", "four"));
    }

    @Test
    void aQuotedFieldPastTheRecordLimitFailsWithItsLinesAndReadingResumesAfterItsFirstLine() throws IOException {
        String csv = "a,b\n1,\"" + "x\n".repeat(20) + "\"\n2,3\n";
        try (RowReader reader = CsvRowReader.open(utf8(csv), 1, null, Long.MAX_VALUE, 16)) {
            List<RawRow> rows = Rows.readAll(reader);
            assertThat(rows.get(0)).isEqualTo(malformed(2, "the quoted field opened at line 2 runs past the record"
                    + " limit of 16 bytes (at line 9); reading resumed at line 3"));
            assertThat(rows.subList(1, 21)).allSatisfy(row -> assertThat(row.error()).isNotNull()); // x: one field; ": quote
            assertThat(rows.get(21)).isEqualTo(row(23, "a", "2", "b", "3"));
            assertThat(rows).hasSize(22);
        }
    }

    @Test
    void aQuotedFieldClosingWithinTheLimitOverManyLinesIsOneValue() throws IOException {
        String value = "x\n".repeat(20);
        try (RowReader reader = CsvRowReader.open(utf8("a,b\n1,\"" + value + "\"\n2,3\n"), 1, null,
                Long.MAX_VALUE, 64)) {
            assertThat(Rows.readAll(reader)).containsExactly(row(2, "a", "1", "b", value), row(23, "a", "2", "b", "3"));
        }
    }

    @Test
    void aChunkReaderReadsPastItsEndOnlyToJudgeARecordThatStartedInside() throws IOException {
        byte[] csv = "1,\"open\n2,two\n3,three\n".getBytes(StandardCharsets.UTF_8);
        long chunkEnd = 8; // after "1,\"open\n", where the splitter resumes after the failed record
        try (RowReader reader = CsvRowReader.open(new ByteArrayInputStream(csv), 2, List.of("a", "b"), chunkEnd, 64)) {
            assertThat(Rows.readAll(reader)).containsExactly(malformed(2, "unterminated quote: the quoted field opened"
                    + " at line 2 is not closed before the end of the file; reading resumed at line 3"));
        }
    }

    @Test
    void loneCrEndsARecord() throws IOException {
        assertThat(read("a,b\r1,2\r3,4")).containsExactly(row(2, "a", "1", "b", "2"), row(3, "a", "3", "b", "4"));
    }

    @Test
    void givenHeaderTreatsEveryRecordAsDataAndStartsAtTheGivenLine() throws IOException {
        try (RowReader reader = RowReaders.open(DataFormat.CSV, utf8("1,a\n2,\"b\nc\"\n3,d\n"), 40, List.of("id", "name"))) {
            assertThat(reader.header()).containsExactly("id", "name");
            assertThat(Rows.readAll(reader)).containsExactly(
                    row(40, "id", "1", "name", "a"), row(41, "id", "2", "name", "b\nc"), row(43, "id", "3", "name", "d"));
        }
    }

    @Test
    void emptyInputHasNoHeaderAndNoRows() throws IOException {
        try (RowReader reader = RowReaders.open(DataFormat.CSV, utf8("\uFEFF\n\n"), 1, null)) {
            assertThat(reader.header()).isEmpty();
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void malformedHeaderFailsTheFile() {
        assertThatThrownBy(() -> RowReaders.open(DataFormat.CSV, utf8("\n\"id,name\n1,2\n"), 1, null))
                .isInstanceOf(IOException.class)
                .hasMessage("line 2: CSV header: unterminated quote: the quoted field opened at line 2 is not closed"
                        + " before the end of the file");
    }

    @Test
    void oversizeRecordIsReportedAndSkippedToTheNextRecord() throws IOException {
        String huge = "x".repeat(RowReaders.MAX_CSV_RECORD_BYTES);
        String csv = "a,b\n1,2\n" + huge + ",\"x\n3,4\n5,\"" + huge + "\"\n6,7";
        assertThat(read(csv)).containsExactly(
                row(2, "a", "1", "b", "2"),
                malformed(3, "record exceeds 1048576 bytes"),
                row(4, "a", "3", "b", "4"),
                malformed(5, "the quoted field opened at line 5 runs past the record limit of 1048576 bytes (at line 5)"),
                row(6, "a", "6", "b", "7"));
    }

    @Test
    void recordOfExactlyTheLimitIsRead() throws IOException {
        String value = "y".repeat(RowReaders.MAX_CSV_RECORD_BYTES);
        assertThat(read("a\n" + value + "\n")).containsExactly(row(2, "a", value));
    }

    @Test
    void malformedUtf8FailsItsRecordAndReadingGoesOn() throws IOException {
        byte[] bytes = {'a', '\n', 'x', (byte) 0xC3, '\n', (byte) 0xE2, (byte) 0x82, ',', 'z', '\n', 'y', '\n'};
        try (RowReader reader = RowReaders.open(DataFormat.CSV, new ByteArrayInputStream(bytes), 1, null)) {
            assertThat(Rows.readAll(reader)).containsExactly(malformed(2, "not valid UTF-8 at line 2"),
                    malformed(3, "not valid UTF-8 at line 3"), row(4, "a", "y"));
        }
    }

    @Test
    void readsGzipThroughTheCallersGzipStream() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("id,name\n1,\"é\n😀\"\n".getBytes(StandardCharsets.UTF_8));
        }
        try (RowReader reader = RowReaders.open(DataFormat.CSV,
                new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray())), 1, null)) {
            assertThat(Rows.readAll(reader)).containsExactly(row(2, "id", "1", "name", "é\n😀"));
        }
    }

    @Test
    void valuesKeepHeaderOrder() throws IOException {
        RawRow row = read("z,a,m\n1,2,3\n").get(0);
        assertThat(row.values().keySet()).containsExactly("z", "a", "m");
    }
}
