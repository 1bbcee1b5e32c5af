package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyHashesTest {
    private static InputStream list(String... entries) {
        KeyHashes.Collector c = new KeyHashes.Collector();
        for (String e : entries) {
            c.add(e.substring(1), e.charAt(0) == 'u');
        }
        return new ByteArrayInputStream(c.toSortedBytes());
    }

    @Test
    void aKeyIsContestedWhenItOccursTwiceAndOnceUnwritten() {
        Map<Integer, InputStream> lists = new TreeMap<>();
        lists.put(0, list("uA", "wB", "uC", "wD", "uE"));
        lists.put(1, list("wA", "wB", "uC"));
        lists.put(2, list("wD", "uF", "uE"));
        KeyHashes.Contested contested = KeyHashes.merge(lists);
        assertThat(contested.contains(KeyHashes.of("A"))).as("unwritten in 0, written in 1").isTrue();
        assertThat(contested.contains(KeyHashes.of("B"))).as("written twice: the records tell").isFalse();
        assertThat(contested.contains(KeyHashes.of("C"))).as("unwritten twice").isTrue();
        assertThat(contested.contains(KeyHashes.of("D"))).isFalse();
        assertThat(contested.contains(KeyHashes.of("E"))).isTrue();
        assertThat(contested.contains(KeyHashes.of("F"))).as("once").isFalse();
        assertThat(contested.chunks()).containsExactly(0, 1, 2);
        assertThat(contested.hashes()).hasSize(3).isSorted();
    }

    @Test
    void aKeyWrittenInOneWindowAndUnchangedInAnotherOfTheSameChunkIsContested() {
        KeyHashes.Contested contested = KeyHashes.merge(Map.of(4, list("uK", "wK", "wZ")));
        assertThat(contested.contains(KeyHashes.of("K"))).isTrue();
        assertThat(contested.chunks()).containsExactly(4);
        assertThat(KeyHashes.merge(Map.of(4, list("wK", "wZ"))).chunks()).isEmpty();
    }

    @Test
    void theContestedHashesReadBackAsWritten() throws Exception {
        KeyHashes.Contested contested = KeyHashes.merge(Map.of(0, list("uA", "uB"), 1, list("wA", "uB")));
        KeyHashes.Contested read = KeyHashes.Contested.read(new ByteArrayInputStream(contested.toBytes()));
        assertThat(read.hashes()).containsExactly(contested.hashes());
    }

    @Test
    void anUnsortedListIsRefused() {
        ByteBuffer unsorted = ByteBuffer.allocate(16).putLong(10).putLong(2);
        assertThatThrownBy(() -> KeyHashes.merge(Map.of(3, new ByteArrayInputStream(unsorted.array()))))
                .hasMessage("key hashes of chunk 3 are not sorted");
    }

    @Test
    void hashesSpreadAndLeaveTheFlagBitFree() {
        assertThat(KeyHashes.of("a") & 1L).isZero();
        assertThat(KeyHashes.of("a")).isNotEqualTo(KeyHashes.of("b")).isNotEqualTo(KeyHashes.of("a\u0000"));
        assertThat(KeyHashes.of("id-1")).isNotEqualTo(KeyHashes.of("id-2"));
    }
}
