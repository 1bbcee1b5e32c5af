package dev.intake.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one rule for values, the same for CSV fields and JSON Lines values (README, "Values"):
 * numbers in JSON's grammar only, finite and within the type's range; booleans true or false;
 * spaces and tabs around a number or boolean ignored; strings taken as they are.
 */
class ValueRulesTest {
    private static final RecordSchema SCHEMA = RecordSchema.parse("""
            {"type":"record","name":"V","fields":[
              {"name":"ID","type":"string"},
              {"name":"I","type":["null","int"],"default":null},
              {"name":"L","type":["null","long"],"default":null},
              {"name":"F","type":["null","float"],"default":null},
              {"name":"D","type":["null","double"],"default":null},
              {"name":"B","type":["null","boolean"],"default":null},
              {"name":"S","type":["null","string"],"default":null}]}""", List.of("ID"));

    private static String canonical(String field, Object value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", "x");
        row.put(field, value);
        String json = SCHEMA.validate(row).canonical();
        int at = json.indexOf("\"" + field + "\":") + field.length() + 3;
        int end = json.indexOf(',', at) < 0 ? json.length() - 1 : json.indexOf(',', at);
        return json.substring(at, end);
    }

    private static String problem(String field, Object value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", "x");
        row.put(field, value);
        try {
            SCHEMA.validate(row);
            return null;
        } catch (InvalidRowException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest(name = "{0} = ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            I | 42          | 42
            I | -7          | -7
            I | 0           | 0
            I | -0          | 0
            I | ' 5 '       | 5
            I | 1.0         | 1
            I | 1e3         | 1000
            I | 2147483647  | 2147483647
            I | -2147483648 | -2147483648
            L | 9223372036854775807  | 9223372036854775807
            L | -9223372036854775808 | -9223372036854775808
            L | 12E2        | 1200
            D | 1.5         | 1.5
            D | -2.5e-3     | -0.0025
            D | 1e308       | 1.0E308
            D | 0.0         | 0.0
            D | 4.9e-324    | 4.9E-324
            F | 3.4e38      | 3.4E38
            F | 0.1         | 0.1
            B | true        | true
            B | FALSE       | false
            B | ' True'     | true
            S | ' kept as is ' | ' kept as is '
            S | 007         | '007'
            """)
    void acceptedTextAndWhatIsStored(String field, String text, String stored) {
        String expected = field.equals("S") ? "\"" + stored + "\"" : stored;
        assertThat(canonical(field, text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            I | NaN
            I | Infinity
            I | +1
            I | 007
            I | 1d
            I | 0x10
            I | 1_000
            I | .5
            I | 5.
            I | 1.5
            I | 1e-3
            I | '1 2'
            I | ''' '''
            L | 1L
            D | NaN
            D | -Infinity
            D | Infinity
            D | 1d
            D | 1.0f
            D | 0x1p3
            D | 1,5
            D | '1.5\t\n'
            F | nan
            B | 1
            B | yes
            B | t
            """)
    void refusedTextIsNotANumberOrBoolean(String field, String text) {
        String type = Map.of("I", "an int", "L", "a long", "D", "a double", "F", "a float", "B", "a boolean").get(field);
        assertThat(problem(field, text)).isEqualTo("field '" + field + "' has value '" + text + "', which is not " + type);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            I | 2147483648
            I | -2147483649
            L | 9223372036854775808
            L | 1e19
            L | 1e1000000000
            L | 1e99999999999
            D | 1e309
            D | -1e309
            D | 1e-400
            F | 3.5e38
            F | 1e-50
            """)
    void numbersBeyondTheTypeAreOutOfRange(String field, String text) {
        String type = Map.of("I", "int", "L", "long", "D", "double", "F", "float").get(field);
        assertThat(problem(field, text)).isEqualTo("field '" + field + "' value " + text + " is out of range for " + type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"D", "F", "I", "L"})
    void jsonNumbersFollowTheSameRule(String field) {
        assertThat(problem(field, new BigDecimal("1e400"))).contains("is out of range");
        assertThat(canonical(field, 7L)).startsWith("7");
        assertThat(canonical(field, "7")).isEqualTo(canonical(field, 7L)).as("a JSON string holding a number is the number");
        assertThat(problem(field, true)).contains("has value true, which is not");
        assertThat(problem(field, "x".repeat(RecordSchema.MAX_NUMBER_CHARS + 1))).contains("which is not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"I", "L"})
    void wholeJsonNumbersOnlyForIntegralFields(String field) {
        assertThat(canonical(field, new BigDecimal("3.000"))).isEqualTo("3");
        assertThat(canonical(field, BigInteger.TEN)).isEqualTo("10");
        assertThat(problem(field, 2.5)).isEqualTo("field '" + field + "' has value 2.5, which is not "
                + (field.equals("I") ? "an int" : "a long"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"I", "L", "F", "D", "B"})
    void anEmptyFieldIsNoValue(String field) {
        assertThat(canonical(field, "")).isEqualTo("null");
        assertThat(canonical(field, null)).isEqualTo("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true"})
    void aStringFieldTakesOnlyStrings(String ignored) {
        assertThat(problem("S", 1L)).isEqualTo("field 'S' has value 1, which is not a string");
        assertThat(problem("S", true)).isEqualTo("field 'S' has value true, which is not a string");
    }
}
