package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.DataZoneStore.Entry;
import dev.intake.core.ports.DataZoneStore.Kind;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The semantics of {@link DataZoneStore}, for every adapter. */
abstract class DataZoneStoreContract extends StorageContract {

    private DataZoneStore store() {
        return storage.dataZone();
    }

    @Test
    void aCreatedEntryReadsBackExactlyAndOnlyUnderItsKind() {
        String name = unique("dzd") + "/src";
        store().create(Kind.DATA_SOURCE, name, "{\"name\":\"s\"}", T0);
        assertThat(store().find(Kind.DATA_SOURCE, name)).contains(new Entry(Kind.DATA_SOURCE, name, "{\"name\":\"s\"}", 1, T0, T0));
        assertThat(store().find(Kind.RUN, name)).isEmpty();
        store().create(Kind.RUN, name, "{}", T0.plusSeconds(1));
        assertThat(store().find(Kind.RUN, name).orElseThrow().document()).isEqualTo("{}");
        assertThat(store().find(Kind.DOMAIN, unique("missing"))).isEmpty();
    }

    @Test
    void aNameIsTakenOnceAndTheFirstDocumentStays() {
        String name = unique("token");
        store().create(Kind.CLIENT_TOKEN, name, "first", T0);
        assertThatThrownBy(() -> store().create(Kind.CLIENT_TOKEN, name, "second", T0.plusSeconds(5)))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("Client token '" + name + "' already exists");
                });
        assertThat(store().find(Kind.CLIENT_TOKEN, name).orElseThrow().document()).isEqualTo("first");
    }

    @Test
    void anUpdateNeedsTheVersionItWasMadeFromAndCountsItUp() {
        String name = unique("objects");
        store().create(Kind.SOURCE_OBJECTS, name, "v1", T0);
        store().update(Kind.SOURCE_OBJECTS, name, "v2", 1, T0.plusSeconds(10));
        assertThat(store().find(Kind.SOURCE_OBJECTS, name))
                .contains(new Entry(Kind.SOURCE_OBJECTS, name, "v2", 2, T0, T0.plusSeconds(10)));
        assertThatThrownBy(() -> store().update(Kind.SOURCE_OBJECTS, name, "stale", 1, T0.plusSeconds(20)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(store().find(Kind.SOURCE_OBJECTS, name).orElseThrow().document()).isEqualTo("v2");
        String gone = unique("gone");
        assertThatThrownBy(() -> store().update(Kind.SOURCE_OBJECTS, gone, "x", 1, T0))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store().find(Kind.SOURCE_OBJECTS, gone)).isEmpty();
    }

    @Test
    void deletingRemovesTheEntryAndTwiceOverIsFine() {
        String name = unique("domain");
        store().create(Kind.DOMAIN, name, "x", T0);
        store().delete(Kind.DOMAIN, name);
        assertThat(store().find(Kind.DOMAIN, name)).isEmpty();
        store().delete(Kind.DOMAIN, name);
        store().create(Kind.DOMAIN, name, "again", T0);
        assertThat(store().find(Kind.DOMAIN, name).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void listingPagesThroughTheEntriesUnderAPrefixInNameOrder() {
        String domain = unique("dzd");
        List<String> names = new ArrayList<>();
        for (String suffix : List.of("c", "a", "e", "b", "d")) {
            names.add(domain + "/src-" + suffix);
            store().create(Kind.RUN, domain + "/src-" + suffix, suffix, T0);
        }
        store().create(Kind.RUN, domain + "/srcother-a", "another source's run", T0);
        store().create(Kind.RUN, domain + "x/src-a", "another domain's", T0);
        store().create(Kind.RUN_ACTIVITIES, domain + "/src-f", "another kind", T0);
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            Page<Entry> page = store().list(Kind.RUN, domain + "/src-", after, 2);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(e -> {
                assertThat(e.kind()).isEqualTo(Kind.RUN);
                seen.add(e.name());
            });
            after = page.lastKey();
        } while (after != null);
        assertThat(seen).containsExactly(domain + "/src-a", domain + "/src-b", domain + "/src-c", domain + "/src-d",
                domain + "/src-e");
        assertThat(store().list(Kind.RUN, domain + "/", null, 10).items()).extracting(Entry::name)
                .containsExactly(domain + "/src-a", domain + "/src-b", domain + "/src-c", domain + "/src-d",
                        domain + "/src-e", domain + "/srcother-a");
        assertThat(store().list(Kind.RUN, unique("none") + "/", null, 10).items()).isEmpty();
    }

    @Test
    void manyEntriesAreWrittenAtOnceWholeReplacingThoseOfTheSameName() {
        String run = unique("dzd") + "/run";
        Map<String, String> documents = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) { // more than one DynamoDB transaction holds
            documents.put(run + "/" + String.format("%07d", i), "{\"n\":" + i + "}");
        }
        store().create(Kind.RUN_ACTIVITIES, run + "/0000007", "older", T0);
        store().update(Kind.RUN_ACTIVITIES, run + "/0000007", "older still", 1, T0);
        store().putAll(Kind.RUN_ACTIVITIES, documents, T0.plusSeconds(5));
        List<Entry> read = new ArrayList<>();
        String after = null;
        do {
            Page<Entry> page = store().list(Kind.RUN_ACTIVITIES, run + "/", after, 100);
            read.addAll(page.items());
            after = page.lastKey();
        } while (after != null);
        assertThat(read).hasSize(250);
        assertThat(read).extracting(Entry::name).containsExactlyElementsOf(documents.keySet());
        assertThat(read).extracting(Entry::document).containsExactlyElementsOf(documents.values());
        assertThat(read).allSatisfy(e -> {
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.createdAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(e.updatedAt()).isEqualTo(T0.plusSeconds(5));
        });
        // written again (a retried step): the same entries
        store().putAll(Kind.RUN_ACTIVITIES, Map.of(run + "/0000003", "{\"n\":3}"), T0.plusSeconds(9));
        assertThat(store().find(Kind.RUN_ACTIVITIES, run + "/0000003"))
                .contains(new Entry(Kind.RUN_ACTIVITIES, run + "/0000003", "{\"n\":3}", 1, T0.plusSeconds(9), T0.plusSeconds(9)));
        assertThat(store().find(Kind.RUN, run + "/0000003")).isEmpty();
        store().putAll(Kind.RUN_ACTIVITIES, Map.of(), T0); // nothing to write
    }

    @Test
    void deletingUnderAPrefixRemovesExactlyThoseEntries() {
        String source = unique("src");
        Map<String, String> objects = new LinkedHashMap<>();
        for (int i = 0; i < 230; i++) {
            objects.put(source + "/" + String.format("%064x", i), "{\"key\":\"k" + i + "\"}");
        }
        store().putAll(Kind.SOURCE_OBJECTS, objects, T0);
        store().putAll(Kind.SOURCE_OBJECTS, Map.of(source + "x/other", "another source's"), T0);
        store().create(Kind.RUN, source + "/a-run", "another kind", T0);
        assertThat(store().deleteAll(Kind.SOURCE_OBJECTS, source + "/")).isEqualTo(230);
        assertThat(store().list(Kind.SOURCE_OBJECTS, source + "/", null, 10).items()).isEmpty();
        assertThat(store().find(Kind.SOURCE_OBJECTS, source + "x/other")).isPresent();
        assertThat(store().find(Kind.RUN, source + "/a-run")).isPresent();
        assertThat(store().deleteAll(Kind.SOURCE_OBJECTS, source + "/")).isZero();
        assertThatThrownBy(() -> store().deleteAll(Kind.SOURCE_OBJECTS, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
