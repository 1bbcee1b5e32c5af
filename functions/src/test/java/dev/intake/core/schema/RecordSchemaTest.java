package dev.intake.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordSchemaTest {
    static final String ITEMS = """
            {"type":"record","name":"Items","fields":[
              {"name":"ITEM_ID","type":"string"},
              {"name":"PRICE","type":"double"},
              {"name":"QTY","type":"int"},
              {"name":"TS","type":"long"},
              {"name":"IN_STOCK","type":["null","boolean"],"default":null},
              {"name":"COLOUR","type":"string","default":"none"}]}""";

    private final RecordSchema schema = RecordSchema.parse(ITEMS, List.of("ITEM_ID"));

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void csvStringsBecomeTypedCanonicalRecords() {
        ValidRecord r = schema.validate(row("ITEM_ID", "a1", "PRICE", "9.5", "QTY", "3", "TS", "1700000000",
                "IN_STOCK", "TRUE", "COLOUR", null));
        assertThat(r.key()).isEqualTo("a1");
        assertThat(r.canonical()).isEqualTo(
                "{\"ITEM_ID\":\"a1\",\"PRICE\":9.5,\"QTY\":3,\"TS\":1700000000,\"IN_STOCK\":true,\"COLOUR\":\"none\"}");
    }

    @Test
    void jsonValuesAndCsvStringsOfTheSameRecordHashAlike() {
        ValidRecord fromCsv = schema.validate(row("ITEM_ID", "a1", "PRICE", "2", "QTY", "3", "TS", "5"));
        ValidRecord fromJson = schema.validate(row("ITEM_ID", "a1", "PRICE", 2L, "QTY", BigInteger.valueOf(3), "TS", 5L));
        assertThat(fromJson.hash()).isEqualTo(fromCsv.hash());
        ValidRecord changed = schema.validate(row("ITEM_ID", "a1", "PRICE", "2.5", "QTY", "3", "TS", "5"));
        assertThat(changed.hash()).isNotEqualTo(fromCsv.hash());
    }

    @Test
    void invalidValuesNameTheFieldAndTheProblem() {
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "a", "PRICE", "abc", "QTY", "1", "TS", "1")))
                .isInstanceOf(InvalidRowException.class)
                .hasMessage("field 'PRICE' has value 'abc', which is not a double");
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "a", "PRICE", "1", "QTY", "3000000000", "TS", "1")))
                .hasMessage("field 'QTY' value 3000000000 is out of range for int");
        assertThatThrownBy(() -> schema.validate(row("PRICE", "1", "QTY", "1", "TS", "1")))
                .hasMessage("field 'ITEM_ID' is missing a value");
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "a", "PRICE", "1", "QTY", "1.5", "TS", "1")))
                .hasMessage("field 'QTY' has value '1.5', which is not an int");
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "a", "PRICE", "1", "QTY", "1", "TS", "1", "X", "y")))
                .hasMessage("field 'X' is not in the schema");
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", 7L, "PRICE", "1", "QTY", "1", "TS", "1")))
                .hasMessage("field 'ITEM_ID' has value 7, which is not a string");
    }

    @Test
    void headerMustCoverRequiredFieldsAndNothingElse() {
        assertThat(schema.headerProblem(List.of("ITEM_ID", "PRICE", "QTY", "TS"))).isNull();
        assertThat(schema.headerProblem(List.of("ITEM_ID", "PRICE", "QTY"))).isEqualTo("required field 'TS' has no column");
        assertThat(schema.headerProblem(List.of("ITEM_ID", "PRICE", "QTY", "TS", "SIZE")))
                .startsWith("column 'SIZE' is not a field of the dataset schema");
        assertThat(schema.headerProblem(List.of("ITEM_ID", "PRICE", "QTY", "TS", "TS"))).isEqualTo("column 'TS' appears twice");
    }

    @Test
    void schemaProblemsAreInvalidInput() {
        assertThatThrownBy(() -> RecordSchema.parse("{not json", List.of("a")))
                .isInstanceOf(IntakeException.class).extracting(e -> ((IntakeException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThatThrownBy(() -> RecordSchema.parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}]}", List.of("a")))
                .hasMessageContaining("field 'a' has type array");
        assertThatThrownBy(() -> RecordSchema.parse(ITEMS, List.of("NOPE"))).hasMessage("key field 'NOPE' is not a field of the schema");
        assertThatThrownBy(() -> RecordSchema.parse(ITEMS, List.of("IN_STOCK"))).hasMessage("key field 'IN_STOCK' must not be nullable");
        assertThatThrownBy(() -> RecordSchema.parse(ITEMS, List.of("PRICE"))).hasMessageContaining("must be a string, int, long or boolean");
        assertThatThrownBy(() -> RecordSchema.parse("\"string\"", List.of("a"))).hasMessage("schema must be an Avro record, not string");
    }

    @Test
    void keysMustBeStorableAndUnambiguous() {
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "", "PRICE", "1", "QTY", "1", "TS", "1")))
                .hasMessage("key field 'ITEM_ID' is empty");
        RecordSchema two = RecordSchema.parse(ITEMS, List.of("ITEM_ID", "COLOUR"));
        assertThatThrownBy(() -> two.validate(row("ITEM_ID", "x\u001fy", "PRICE", "1", "QTY", "1", "TS", "1", "COLOUR", "z")))
                .hasMessage("key field 'ITEM_ID' contains the control character U+001F");
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "k".repeat(961), "PRICE", "1", "QTY", "1", "TS", "1")))
                .hasMessage("the record key is longer than 960 bytes");
        assertThatThrownBy(() -> schema.encodeKey(Map.of("ITEM_ID", ""))).isInstanceOf(IntakeException.class)
                .hasMessage("key: key field 'ITEM_ID' is empty");
        assertThatThrownBy(() -> schema.validate(row("ITEM_ID", "a", "PRICE", "1", "QTY", "1", "TS", "1", "Z".repeat(5000), "v")))
                .hasMessage("field '" + "Z".repeat(64) + "...' is not in the schema");
    }

    @Test
    void compositeKeysEncodeLikeValidatedRows() {
        RecordSchema two = RecordSchema.parse(ITEMS, List.of("ITEM_ID", "QTY"));
        ValidRecord r = two.validate(row("ITEM_ID", "a", "PRICE", "1", "QTY", "4", "TS", "1"));
        assertThat(two.encodeKey(Map.of("ITEM_ID", "a", "QTY", BigInteger.valueOf(4)))).isEqualTo(r.key());
        assertThatThrownBy(() -> two.encodeKey(Map.of("ITEM_ID", "a"))).hasMessage("key must give a value for key field 'QTY'");
    }
}
