package dev.intake.lookout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.IntakeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPatternTest {
    private static final List<String> COMPONENTS = List.of("Pump", "Pump_2", "Fan");

    @Test
    void noPatternIsTheDocumentedDefault() {
        assertThat(KeyPattern.parse(null).pattern()).isEqualTo("{prefix}/{component_name}/*");
        assertThat(KeyPattern.parse(null).component("data/", "data/Pump/2024/01.csv", COMPONENTS)).contains("Pump");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{prefix}/{component_name}/*|data/Fan/x.csv|Fan",
        "{prefix}/{component_name}_*|data/Fan_x.csv|Fan",
        "{prefix}/{component_name}_*|data/Pump_2_x.csv|Pump_2",
        "{prefix}/{component_name}_*|data/Pump_x.csv|Pump",
        "{prefix}/{component_name}-*|data/Fan-x.csv|Fan",
        "{prefix}/{component_name}.*|data/Fan.2024.csv|Fan",
        "'{prefix}/{component_name} *'|'data/Fan 2024.csv'|Fan"})
    void eachDocumentedDelimiterAssignsTheLongestMatchingComponent(String pattern, String key, String component) {
        assertThat(KeyPattern.parse(pattern).component("data/", key, COMPONENTS)).contains(component);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data/Fan.csv", "data/Fan/", "other/Fan/x.csv", "data/Valve/x.csv", "data/fan/x.csv", "Fan/x.csv"})
    void keysOfNoComponentBelongToNone(String key) {
        assertThat(KeyPattern.parse(null).component("data/", key, COMPONENTS)).isEmpty();
    }

    @Test
    void anEmptyPrefixIsTheBucketsTop() {
        assertThat(KeyPattern.parse(null).component("", "Fan/x.csv", COMPONENTS)).contains("Fan");
        assertThat(KeyPattern.parse(null).component(null, "Fan/x.csv", COMPONENTS)).contains("Fan");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{prefix}/{component_name}+*", "{prefix}/{component_name}*", "{prefix}/{component_name}/",
        "{prefix}/{component_name}//*", "{component_name}/*", "{prefix}/{component}/*", "{prefix}/{component_name}/**"})
    void anyOtherPatternIsRefusedNamingTheValidOnes(String pattern) {
        assertThatThrownBy(() -> KeyPattern.parse(pattern)).isInstanceOf(IntakeException.class)
                .hasMessageContaining("is not one of {prefix}/{component_name}/*");
    }
}
