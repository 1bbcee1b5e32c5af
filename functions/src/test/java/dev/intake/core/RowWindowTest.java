package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.schema.ValidRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowWindowTest {
    private static ValidRecord record(String key, int bytes) {
        return new ValidRecord(key, "{}", "h", bytes);
    }

    /** The rows in the window's order: seq of each, with its key and line. */
    private static List<String> rows(RowWindow window) {
        List<String> rows = new ArrayList<>();
        for (int slot = 0; slot < window.slots(); slot++) {
            if (window.record(slot) != null) {
                rows.add(window.record(slot).key() + "@" + window.seq(slot) + ":" + window.line(slot));
            }
        }
        return rows;
    }

    @Test
    void aKeysLaterRowReplacesItsEarlierOneAndTakesTheLastPlace() {
        RowWindow window = new RowWindow();
        assertThat(window.add(record("a", 10), 1, 2)).isFalse();
        assertThat(window.add(record("b", 20), 2, 3)).isFalse();
        assertThat(window.add(record("a", 30), 3, 4)).isTrue();
        assertThat(window.add(record("c", 5), 4, 5)).isFalse();
        assertThat(rows(window)).containsExactly("b@2:3", "a@3:4", "c@4:5");
        assertThat(window.size()).isEqualTo(3);
        assertThat(window.bytes()).isEqualTo(20 + 30 + 5 + 3 * 2);
        window.clear();
        assertThat(window.size()).isZero();
        assertThat(window.bytes()).isZero();
        assertThat(rows(window)).isEmpty();
        assertThat(window.add(record("a", 1), 5, 6)).as("a cleared window has forgotten its keys").isFalse();
    }

    /** Against an access-ordered map's behaviour (remove, then put), through growing and squeezing. */
    @Test
    void keepsTheOrderAndWeightOfAnInsertionOrderedMapHoweverKeysRepeat() {
        Random random = new Random(5);
        for (int keys : new int[] {1, 3, 200, 5_000}) {
            RowWindow window = new RowWindow();
            Map<String, String> expected = new LinkedHashMap<>();
            long expectedBytes = 0;
            Map<String, Integer> weights = new LinkedHashMap<>();
            for (int seq = 0; seq < 40_000; seq++) {
                String key = "k" + random.nextInt(keys);
                int bytes = random.nextInt(100);
                String had = expected.remove(key);
                if (had != null) {
                    expectedBytes -= weights.get(key) + 2L * key.length();
                }
                expected.put(key, key + "@" + seq + ":" + (seq + 1));
                weights.put(key, bytes);
                expectedBytes += bytes + 2L * key.length();
                assertThat(window.add(record(key, bytes), seq, seq + 1)).isEqualTo(had != null);
                if (seq % 9_999 == 0) {
                    assertThat(rows(window)).containsExactlyElementsOf(expected.values());
                }
            }
            assertThat(rows(window)).containsExactlyElementsOf(expected.values());
            assertThat(window.size()).isEqualTo(expected.size());
            assertThat(window.bytes()).isEqualTo(expectedBytes);
            // replaced rows' places are squeezed out rather than kept: one key repeated stays small
            assertThat(window.slots()).isLessThanOrEqualTo(Math.max(256, 4 * keys));
        }
    }
}
