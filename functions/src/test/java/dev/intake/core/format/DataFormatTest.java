package dev.intake.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataFormatTest {

    @ParameterizedTest
    @CsvSource({
            "data.csv, CSV, false",
            "in/2024/data.CSV.GZ, CSV, true",
            "a.jsonl, JSON_LINES, false",
            "a.jsonl.gz, JSON_LINES, true",
            "a.ndjson, JSON_LINES, false",
            "a.ndjson.gz, JSON_LINES, true",
            "a.json, JSON_LINES, false",
            "a.Json.Gz, JSON_LINES, true",
            "part-0.parquet, PARQUET, false",
            "in/2024/Part-0.PARQUET, PARQUET, false",
    })
    void recognisesDataFiles(String key, DataFormat format, boolean gzip) {
        assertThat(DataFormat.forKey(key)).contains(format);
        assertThat(DataFormat.isGzip(key)).isEqualTo(gzip);
    }

    @ParameterizedTest
    @CsvSource({"readme.txt", "data.csv.zip", "data.gz", "data.parquet.gz", "data.parquet.zip", "data.parq", "folder.csv/", "csv", "data.csvx", "a.gz.csv.bak"})
    void discardsOtherFiles(String key) {
        assertThat(DataFormat.forKey(key)).isEmpty();
    }
}
