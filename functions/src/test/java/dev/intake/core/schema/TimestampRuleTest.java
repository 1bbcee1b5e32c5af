package dev.intake.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Timestamps read by a job's format and time zone (Forecast's TimestampFormat and TimeZone). */
class TimestampRuleTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"T","fields":[
              {"name":"item_id","type":"string"},
              {"name":"timestamp","type":"string"},
              {"name":"shipped","type":["null","string"],"default":null},
              {"name":"note","type":["null","string"],"default":null}]}""", List.of("item_id", "timestamp"));
    private static final String SECONDS = "yyyy-MM-dd HH:mm:ss";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static String stored(TimestampRule rule, String timestamp) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("item_id", "a");
        row.put("timestamp", timestamp);
        row.put("note", "not a time");
        return SCHEMA.validate(row, rule).canonical();
    }

    private static TimestampRule rule(String pattern, ZoneId zone) {
        return new TimestampRule(Set.of("timestamp", "shipped"), pattern, zone);
    }

    @Test
    void aValidValueWithoutTimeZoneIsStoredAsWritten() {
        assertThat(stored(rule(SECONDS, null), "2024-02-29 23:59:59"))
                .isEqualTo("{\"item_id\":\"a\",\"timestamp\":\"2024-02-29 23:59:59\",\"shipped\":null,\"note\":\"not a time\"}");
        assertThat(stored(rule("yyyy-MM-dd", null), "2024-12-31")).contains("\"timestamp\":\"2024-12-31\"");
    }

    @Test
    void withoutARuleTimestampsAreStringsAsBefore() {
        assertThat(stored(null, "yesterday")).contains("\"timestamp\":\"yesterday\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30 00:00:00", "2023-02-29 10:00:00", "2024-13-01 00:00:00", "2024-01-01 24:00:00",
            "2024-01-01 12:60:00", "2024-1-01 00:00:00", "2024-01-01", "2024-01-01T00:00:00", " 2024-01-01 00:00:00",
            "2024-01-01 00:00:00Z", "1704067200", ""})
    void aValueTheFormatDoesNotReadFailsItsRowNamingFieldValueAndFormat(String value) {
        assertThatThrownBy(() -> stored(rule(SECONDS, null), value))
                .isInstanceOf(InvalidRowException.class)
                .hasMessage("field 'timestamp' value '" + value + "' is not a timestamp in the format " + SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01 00:00:00", "2024-02-30", "24-01-01", "2024/01/01"})
    void theDayFormatReadsDaysOnly(String value) {
        assertThatThrownBy(() -> stored(rule("yyyy-MM-dd", null), value))
                .hasMessage("field 'timestamp' value '" + value + "' is not a timestamp in the format yyyy-MM-dd");
    }

    @Test
    void withATimeZoneATimeIsStoredAsItsInstantInUtc() {
        assertThat(stored(rule(SECONDS, NEW_YORK), "2024-01-15 09:30:00")).contains("\"timestamp\":\"2024-01-15T14:30:00Z\"");
        assertThat(stored(rule(SECONDS, NEW_YORK), "2024-07-15 09:30:00")).contains("\"timestamp\":\"2024-07-15T13:30:00Z\"");
        assertThat(stored(rule(SECONDS, ZoneId.of("UTC")), "2024-07-15 09:30:00")).contains("\"timestamp\":\"2024-07-15T09:30:00Z\"");
    }

    @Test
    void aTimeTheZoneSkipsFailsItsRow() {
        // 2024-03-10 02:00 EST became 03:00 EDT in New York: 02:30 never happened there.
        assertThatThrownBy(() -> stored(rule(SECONDS, NEW_YORK), "2024-03-10 02:30:00"))
                .isInstanceOf(InvalidRowException.class)
                .hasMessage("field 'timestamp' value '2024-03-10 02:30:00' is a time that does not exist in"
                        + " America/New_York (a daylight-saving gap)");
        assertThat(stored(rule(SECONDS, NEW_YORK), "2024-03-10 03:30:00")).contains("\"timestamp\":\"2024-03-10T07:30:00Z\"");
    }

    @Test
    void aTimeTheZoneRepeatsIsTheEarlierInstant() {
        // 2024-11-03 01:30 happened twice in New York (EDT, then EST): the first is 05:30Z.
        assertThat(stored(rule(SECONDS, NEW_YORK), "2024-11-03 01:30:00")).contains("\"timestamp\":\"2024-11-03T05:30:00Z\"");
    }

    @Test
    void aDayIsStoredAsWrittenEvenWithATimeZone() {
        assertThat(stored(rule("yyyy-MM-dd", NEW_YORK), "2024-03-10")).contains("\"timestamp\":\"2024-03-10\"");
    }

    @Test
    void theRuleCoversItsFieldsOnlyAndAnEmptyNullableOneIsMissing() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("item_id", "a");
        row.put("timestamp", "2024-01-01 00:00:00");
        row.put("shipped", "");
        row.put("note", "whenever");
        assertThat(SCHEMA.validate(row, rule(SECONDS, null)).canonical()).contains("\"shipped\":null", "\"note\":\"whenever\"");
        row.put("shipped", "soon");
        assertThatThrownBy(() -> SCHEMA.validate(row, rule(SECONDS, null)))
                .hasMessage("field 'shipped' value 'soon' is not a timestamp in the format " + SECONDS);
    }

    @Test
    void theKeyIsMadeOfTheStoredValue() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("item_id", "a");
        row.put("timestamp", "2024-01-15 09:30:00");
        assertThat(SCHEMA.validate(row, rule(SECONDS, NEW_YORK)).key())
                .isEqualTo("a" + RecordSchema.KEY_SEPARATOR + "2024-01-15T14:30:00Z");
    }

    @Test
    void aLongValueIsCutShortInTheMessage() {
        String value = "x".repeat(100);
        assertThatThrownBy(() -> stored(rule(SECONDS, null), value))
                .hasMessage("field 'timestamp' value '" + "x".repeat(40) + "...' is not a timestamp in the format " + SECONDS);
    }
}
