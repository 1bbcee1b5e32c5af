package dev.intake.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a record's values are written: quoted only where the CSV reader would read them otherwise. */
class ExportCsvTest {
    @Test
    void theHeaderIsTheSchemasFieldNamesAndEachRecordOneRowInTheirOrder() {
        ExportCsv csv = new ExportCsv(List.of("ID", "A", "B"));
        csv.add("{\"ID\":\"k\",\"B\":2,\"A\":true}");
        csv.add("{\"ID\":\"j\"}"); // a field added to the schema later: no value
        assertThat(csv.text()).isEqualTo("ID,A,B\nk,true,2\nj,,\n");
        assertThat(csv.rows()).isEqualTo(2);
    }

    @Test
    void nullIsAnEmptyFieldAndTheEmptyStringIsQuoted() {
        ExportCsv csv = new ExportCsv(List.of("ID", "S"));
        csv.add("{\"ID\":\"a\",\"S\":null}");
        csv.add("{\"ID\":\"b\",\"S\":\"\"}");
        assertThat(csv.text()).isEqualTo("ID,S\na,\nb,\"\"\n");
    }

    @Test
    void valuesAreQuotedExactlyWhenTheReaderWouldOtherwiseSplitMergeOrDropThem() {
        assertThat(ExportCsv.needsQuotes("plain text")).isFalse();
        assertThat(ExportCsv.needsQuotes("  padded  ")).as("the reader keeps a string's spaces").isFalse();
        assertThat(ExportCsv.needsQuotes("5'10\" tall")).isTrue();
        assertThat(ExportCsv.needsQuotes("a,b")).isTrue();
        assertThat(ExportCsv.needsQuotes("a\nb")).isTrue();
        assertThat(ExportCsv.needsQuotes("a\rb")).isTrue();
        assertThat(ExportCsv.needsQuotes("")).isTrue();
        assertThat(ExportCsv.needsQuotes(" \t ")).as("a blank line is no row").isTrue();
        ExportCsv csv = new ExportCsv(List.of("ID"));
        csv.add("{\"ID\":\"say \\\"hi\\\", then\\nleave\"}");
        assertThat(csv.text()).isEqualTo("ID\n\"say \"\"hi\"\", then\nleave\"\n");
    }

    @Test
    void numbersAreWrittenAsStored() {
        ExportCsv csv = new ExportCsv(List.of("L", "D"));
        csv.add("{\"L\":-9223372036854775808,\"D\":1.0E-300}");
        assertThat(csv.text()).isEqualTo("L,D\n-9223372036854775808,1.0E-300\n");
    }
}
