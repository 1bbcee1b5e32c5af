package dev.intake.lookout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.IntakeException;
import dev.intake.core.schema.RecordSchema;
import dev.intake.core.schema.InvalidRowException;
import dev.intake.core.schema.TimestampRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LookoutSchemaTest {
    private static final String SCHEMA = """
            {"Components": [
              {"ComponentName": "Pump", "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                {"Name": "Flow", "Type": "DOUBLE"}, {"Name": "Temp", "Type": "DOUBLE"}]},
              {"ComponentName": "Fan", "Columns": [{"Name": "Speed", "Type": "DOUBLE"},
                {"Name": "Timestamp", "Type": "DATETIME"}, {"Name": "Temp", "Type": "DOUBLE"}]}]}""";

    @Test
    void componentsMapOntoOneRecordPerComponentAndTimestampWithEverySensorANullableDouble() {
        var mapping = LookoutSchema.map(SCHEMA);
        assertThat(mapping.keyFields()).containsExactly("ComponentName", "Timestamp");
        assertThat(mapping.timestampColumn()).isEqualTo("Timestamp");
        assertThat(mapping.components()).containsExactly(
                new LookoutSchema.Component("Pump", "Timestamp", List.of("Flow", "Temp")),
                new LookoutSchema.Component("Fan", "Timestamp", List.of("Speed", "Temp")));
        assertThat(mapping.components().get(1).columns()).containsExactly("Timestamp", "Speed", "Temp");
        RecordSchema schema = RecordSchema.parse(mapping.avroSchema(), mapping.keyFields());
        assertThat(schema.headerProblem(List.of("ComponentName", "Timestamp", "Flow"))).isNull();
        assertThat(schema.headerProblem(List.of("Timestamp", "Flow"))).contains("ComponentName");
        assertThat(mapping.avroSchema()).isEqualTo("{\"type\":\"record\",\"name\":\"LookoutEquipmentDataset\",\"fields\":["
                + "{\"name\":\"ComponentName\",\"type\":\"string\"},{\"name\":\"Timestamp\",\"type\":\"string\"},"
                + "{\"name\":\"Flow\",\"type\":[\"null\",\"double\"],\"default\":null},"
                + "{\"name\":\"Temp\",\"type\":[\"null\",\"double\"],\"default\":null},"
                + "{\"name\":\"Speed\",\"type\":[\"null\",\"double\"],\"default\":null}]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}|non-empty Components",
        "{\"Components\": [{\"ComponentName\": \"a/b\", \"Columns\": []}]}|ComponentName 'a/b'",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}]}]}|no DOUBLE",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"U\", \"Type\": \"DATETIME\"}]}]}|more than one DATETIME",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"x-y\", \"Type\": \"DOUBLE\"}]}]}|Column 'x-y'",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"S\", \"Type\": \"STRING\"}]}]}|Type 'STRING'",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"ComponentName\", \"Type\": \"DOUBLE\"}]}]}|reserved",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"S\", \"Type\": \"DOUBLE\"}, {\"Name\": \"S\", \"Type\": \"DOUBLE\"}]}]}|appears twice",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"S\", \"Type\": \"DOUBLE\"}]}, {\"ComponentName\": \"P\", \"Columns\": []}]}|listed twice",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"S\", \"Type\": \"DOUBLE\"}]}, {\"ComponentName\": \"Q\", \"Columns\": [{\"Name\": \"U\", \"Type\": \"DATETIME\"}, {\"Name\": \"S\", \"Type\": \"DOUBLE\"}]}]}|same name",
        "{\"Components\": [{\"ComponentName\": \"P\", \"Columns\": [{\"Name\": \"T\", \"Type\": \"DATETIME\"}, {\"Name\": \"S\", \"Type\": \"DOUBLE\"}]}, {\"ComponentName\": \"Q\", \"Columns\": [{\"Name\": \"S\", \"Type\": \"DATETIME\"}, {\"Name\": \"T\", \"Type\": \"DOUBLE\"}]}]}|same name"})
    void schemasItCannotMapAreRefusedNamingTheProblem(String caseText) {
        String[] parts = caseText.split("\\|");
        assertThatThrownBy(() -> LookoutSchema.map(parts[0])).isInstanceOf(IntakeException.class)
                .hasMessageContaining(parts[1]);
    }

    private static Map<String, Object> row(String timestamp) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ComponentName", "Pump");
        row.put("Timestamp", timestamp);
        row.put("Flow", "1.5");
        return row;
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-31 23:59:59", "2024-01-31T23:59:59", "2024-01-31 23:59:59.123", "2024-01-31T23:59:59.123456",
        "2024-01-31 23:59:59.123456789", "2024-01-31T23:59:59Z", "2024-01-31 23:59:59.123+01:00", "2024-02-29T00:00:00-05:30"})
    void theTimestampFormatsReadAreStoredAsWritten(String value) {
        var mapping = LookoutSchema.map(SCHEMA);
        var schema = RecordSchema.parse(mapping.avroSchema(), mapping.keyFields());
        var rule = new TimestampRule(Set.of("Timestamp"), LookoutTimestampRules.FORMATS, null);
        assertThat(schema.validate(row(value), rule).key()).isEqualTo("Pump\u001f" + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-31", "2024-01-31 23:59", "01/31/2024 23:59:59", "2024-02-30 00:00:00", "2024-01-31 24:00:00",
        "2024-01-31 23:59:59.12", "2024-01-31 23:59:59.1234", "1706745599", "2024-01-31  23:59:59", "2024-01-31T23:59:59 Z"})
    void otherTimestampsFailTheirRowNamingTheFormats(String value) {
        var mapping = LookoutSchema.map(SCHEMA);
        var schema = RecordSchema.parse(mapping.avroSchema(), mapping.keyFields());
        var rule = new TimestampRule(Set.of("Timestamp"), LookoutTimestampRules.FORMATS, null);
        assertThatThrownBy(() -> schema.validate(row(value), rule)).isInstanceOf(InvalidRowException.class)
                .hasMessageStartingWith("field 'Timestamp' value '" + value + "' is not a timestamp in the format "
                        + "yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][XXX] or yyyy-MM-dd'T'HH:mm:ss");
    }
}
