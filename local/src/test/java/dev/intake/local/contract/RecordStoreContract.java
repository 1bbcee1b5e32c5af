package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.RecordOutcome;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The semantics of {@link RecordStore}, for every adapter. */
abstract class RecordStoreContract extends StorageContract {
    private static final long CHUNK_7 = 7L << 32;

    private RecordStore records() {
        return storage.records();
    }

    private static RecordWrite fresh(String key, String canonical, long seq) {
        return new RecordWrite(key, canonical, "h-" + canonical.hashCode(), seq, "", null, null);
    }

    @Test
    void aWrittenRecordReadsBackWithWhatTheEngineNeeds() {
        String ds = unique("rec");
        NavigableMap<Long, RecordOutcome> history = new TreeMap<>(Map.of(3L, RecordOutcome.ADDED,
                CHUNK_7 | 12, RecordOutcome.UPDATED, (123_456L << 32) | 99, RecordOutcome.UNCHANGED));
        RecordWrite w = new RecordWrite("k1", "{\"id\":\"k1\",\"v\":1}", "hash-1", CHUNK_7 | 500, "base-hash", null, history);
        assertThat(records().write(ds, "g", "job-a", List.of(w))).isEmpty();
        StoredRecord stored = records().read(ds, "g", List.of("k1", "k2")).get("k1");
        assertThat(stored).isEqualTo(new StoredRecord("k1", "hash-1", "job-a", CHUNK_7 | 500, "base-hash", history));
        assertThat(records().read(ds, "g", List.of("k1", "k2"))).containsOnlyKeys("k1");
        assertThat(records().get(ds, "g", "k1")).contains("{\"id\":\"k1\",\"v\":1}");
        assertThat(records().get(ds, "g", "k2")).isEmpty();
        assertThat(records().read(ds, "g", List.of())).isEmpty();
    }

    @Test
    void aWriteAppliesOnlyToTheStateItWasDecidedOn() {
        String ds = unique("rec");
        RecordWrite first = fresh("k", "{\"v\":1}", 1);
        assertThat(records().write(ds, "g", "job-a", List.of(first))).isEmpty();
        assertThat(records().write(ds, "g", "job-a", List.of(fresh("k", "{\"v\":9}", 9))))
                .as("expected absent, but present").containsExactly("k");
        assertThat(records().get(ds, "g", "k")).contains("{\"v\":1}");

        StoredRecord stored = records().read(ds, "g", List.of("k")).get("k");
        StoredRecord stale = new StoredRecord("k", stored.hash(), "job-a", 0, "");
        RecordWrite fromStale = new RecordWrite("k", "{\"v\":8}", "h8", 8, "", stale, null);
        assertThat(records().write(ds, "g", "job-a", List.of(fromStale))).as("same job, other seq").containsExactly("k");
        StoredRecord otherJob = new StoredRecord("k", stored.hash(), "job-b", 1, "");
        RecordWrite fromOtherJob = new RecordWrite("k", "{\"v\":8}", "h8", 8, "", otherJob, null);
        assertThat(records().write(ds, "g", "job-a", List.of(fromOtherJob))).as("same seq, other job").containsExactly("k");
        assertThat(records().get(ds, "g", "k")).contains("{\"v\":1}");

        RecordWrite next = new RecordWrite("k", "{\"v\":2}", "h2", 5, "", stored, new TreeMap<>(Map.of(1L, RecordOutcome.ADDED)));
        assertThat(records().write(ds, "g", "job-b", List.of(next))).isEmpty();
        assertThat(records().read(ds, "g", List.of("k")).get("k"))
                .isEqualTo(new StoredRecord("k", "h2", "job-b", 5, "", new TreeMap<>(Map.of(1L, RecordOutcome.ADDED))));
        assertThat(records().write(ds, "g", "job-b", List.of(next))).as("the state it was decided on is gone").containsExactly("k");
    }

    @Test
    void writesOfOneBatchAreIndependent() {
        String ds = unique("rec");
        records().write(ds, "g", "job-a", List.of(fresh("taken", "{\"v\":0}", 1)));
        List<RecordWrite> batch = List.of(fresh("a", "{\"v\":1}", 2), fresh("taken", "{\"v\":2}", 3), fresh("b", "{\"v\":3}", 4));
        assertThat(records().write(ds, "g", "job-a", batch)).containsExactly("taken");
        assertThat(records().get(ds, "g", "a")).contains("{\"v\":1}");
        assertThat(records().get(ds, "g", "b")).contains("{\"v\":3}");
        assertThat(records().get(ds, "g", "taken")).contains("{\"v\":0}");
    }

    @Test
    void generationsAndDatasetsAreApartAndAGenerationIsDeletedWhole() {
        String ds = unique("rec");
        String other = unique("rec");
        List<RecordWrite> many = IntStream.range(0, 1_200).mapToObj(i -> fresh("key-" + i, "{\"i\":" + i + "}", i)).toList();
        for (int from = 0; from < many.size(); from += records().maxBatch()) {
            List<RecordWrite> batch = many.subList(from, Math.min(many.size(), from + records().maxBatch()));
            assertThat(records().write(ds, "old", "job-a", batch)).isEmpty();
        }
        records().write(ds, "new", "job-b", List.of(fresh("key-1", "{\"new\":1}", 1)));
        records().write(other, "old", "job-c", List.of(fresh("key-1", "{\"other\":1}", 1)));

        records().deleteGeneration(ds, "old");
        List<String> keys = many.stream().map(RecordWrite::key).toList();
        for (int from = 0; from < keys.size(); from += records().maxBatch()) {
            assertThat(records().read(ds, "old", keys.subList(from, Math.min(keys.size(), from + records().maxBatch()))))
                    .isEmpty();
        }
        assertThat(records().get(ds, "new", "key-1")).contains("{\"new\":1}");
        assertThat(records().get(other, "old", "key-1")).contains("{\"other\":1}");
        records().deleteGeneration(ds, "never-written");
    }

    @Test
    void keysAndValuesAreTakenLiterally() {
        String ds = unique("rec");
        List<String> keys = List.of("a\u001fb", "a b", "ü-ключ-键", "a", "A", "a/../b", "%00", "\uD83D\uDE00");
        List<RecordWrite> writes = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            writes.add(fresh(keys.get(i), "{\"i\":" + i + ",\"s\":\"" + keys.get(i) + "\"}", i));
        }
        assertThat(records().write(ds, "g", "job-a", writes)).isEmpty();
        assertThat(records().read(ds, "g", keys)).containsOnlyKeys(keys);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(records().get(ds, "g", keys.get(i))).contains("{\"i\":" + i + ",\"s\":\"" + keys.get(i) + "\"}");
        }
        String large = "{\"text\":\"" + "x".repeat(300 * 1024) + "\"}";
        assertThat(records().write(ds, "g", "job-a", List.of(fresh("large", large, 99)))).isEmpty();
        assertThat(records().get(ds, "g", "large")).contains(large);
    }

    @Test
    void aBatchTakesAtMostMaxBatchKeys() {
        assertThat(records().maxBatch()).isBetween(1, 1000);
        List<String> keys = IntStream.range(0, records().maxBatch() + 1).mapToObj(i -> "k" + i).toList();
        assertThatThrownBy(() -> records().read(unique("rec"), "g", keys)).isInstanceOf(IllegalArgumentException.class);
        List<RecordWrite> writes = keys.stream().map(k -> fresh(k, "{}", 1)).toList();
        assertThatThrownBy(() -> records().write(unique("rec"), "g", "job", writes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingSomeRecordsDeletesAtMostThatManyAndSaysWhenTheGenerationIsEmpty() {
        String ds = unique("ds");
        List<RecordWrite> writes = new java.util.ArrayList<>();
        for (int i = 0; i < 23; i++) {
            writes.add(fresh("k" + i, "{\"ID\":\"k" + i + "\"}", i));
        }
        for (int from = 0; from < writes.size(); from += records().maxBatch()) {
            records().write(ds, "g", "job", writes.subList(from, Math.min(writes.size(), from + records().maxBatch())));
            records().write(ds, "other", "job", writes.subList(from, Math.min(writes.size(), from + records().maxBatch())));
        }

        assertThat(records().deleteSome(ds, "g", 10)).isFalse();
        assertThat(remaining(ds, "g", 23)).isEqualTo(13);
        assertThat(records().deleteSome(ds, "g", 10)).isFalse();
        assertThat(remaining(ds, "g", 23)).isEqualTo(3);
        assertThat(records().deleteSome(ds, "g", 10)).isTrue();
        assertThat(remaining(ds, "g", 23)).isZero();
        assertThat(records().deleteSome(ds, "g", 10)).as("an empty generation, again").isTrue();
        assertThat(remaining(ds, "other", 23)).as("another generation is untouched").isEqualTo(23);
    }

    @Test
    void aGenerationIsListedInPagesEachRecordOnceWithItsCanonicalJson() {
        String ds = unique("list");
        List<String> keys = new ArrayList<>(List.of("a\u001fb", "ü-ключ-键", "A", "a", "%00", "\uD83D\uDE00", "a b"));
        IntStream.range(0, 40).forEach(i -> keys.add("k" + i));
        List<RecordWrite> writes = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            writes.add(fresh(keys.get(i), "{\"i\":" + i + "}", i));
        }
        for (int from = 0; from < writes.size(); from += records().maxBatch()) {
            List<RecordWrite> batch = writes.subList(from, Math.min(writes.size(), from + records().maxBatch()));
            records().write(ds, "g", "job", batch);
            records().write(ds, "other", "job", batch.subList(0, 1));
        }
        records().write(unique("list"), "g", "job", writes.subList(0, 3));

        for (int pageSize : new int[] {1, 7, 47, 1000}) {
            Map<String, String> listed = new java.util.HashMap<>();
            String cursor = null;
            int pages = 0;
            do {
                dev.intake.core.ports.Page<dev.intake.core.ports.RecordEntry> page = records().list(ds, "g", cursor, pageSize);
                assertThat(page.items()).as("page size " + pageSize).hasSizeLessThanOrEqualTo(pageSize);
                page.items().forEach(r -> assertThat(listed.put(r.key(), r.canonical())).as("listed once: " + r.key()).isNull());
                cursor = page.lastKey();
                pages++;
                assertThat(pages).as("pages end").isLessThanOrEqualTo(keys.size() + 2);
            } while (cursor != null);
            assertThat(listed).as("page size " + pageSize).hasSize(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                assertThat(listed.get(keys.get(i))).isEqualTo("{\"i\":" + i + "}");
            }
        }
        var empty = records().list(ds, "never-written", null, 10);
        assertThat(empty.items()).isEmpty();
        assertThat(empty.lastKey()).isNull();
    }

    @Test
    void aListingGoesOnFromItsCursorWhileRecordsAreWritten() {
        String ds = unique("list");
        records().write(ds, "g", "job", IntStream.range(0, 30).mapToObj(i -> fresh("k" + i, "{\"i\":" + i + "}", i)).toList());
        var first = records().list(ds, "g", null, 10);
        assertThat(first.items()).hasSize(10);
        java.util.Set<String> seen = new java.util.HashSet<>();
        first.items().forEach(r -> seen.add(r.key()));
        // an INCREMENTAL import writing into the generation meanwhile: new keys may be listed or not
        records().write(ds, "g", "job-2", IntStream.range(100, 105).mapToObj(i -> fresh("k" + i, "{}", i)).toList());
        String cursor = first.lastKey();
        while (cursor != null) {
            var page = records().list(ds, "g", cursor, 10);
            page.items().forEach(r -> assertThat(seen.add(r.key())).as("listed once: " + r.key()).isTrue());
            cursor = page.lastKey();
        }
        assertThat(seen).containsAll(IntStream.range(0, 30).mapToObj(i -> "k" + i).toList());
    }

    private long remaining(String ds, String generation, int keys) {
        return java.util.stream.IntStream.range(0, keys).filter(i -> records().get(ds, generation, "k" + i).isPresent()).count();
    }
}
