package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore;
import dev.intake.core.ports.LookoutStore.Entry;
import dev.intake.core.ports.LookoutStore.Kind;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The semantics of {@link LookoutStore}, for every adapter. */
abstract class LookoutStoreContract extends StorageContract {

    private LookoutStore store() {
        return storage.lookout();
    }

    @Test
    void aCreatedEntryReadsBackExactlyAndOnlyUnderItsKind() {
        String name = unique("group");
        store().create(Kind.DATASET, name, "{\"Id\":\"d1\"}", T0);
        assertThat(store().find(Kind.DATASET, name))
                .contains(new Entry(Kind.DATASET, name, "{\"Id\":\"d1\"}", 1, T0, T0));
        assertThat(store().find(Kind.INGESTION_JOB, name)).isEmpty();
        store().create(Kind.INGESTION_JOB, name, "{}", T0.plusSeconds(1)); // the same name under another kind is another entry
        assertThat(store().find(Kind.INGESTION_JOB, name).orElseThrow().document()).isEqualTo("{}");
        assertThat(store().find(Kind.DATASET, unique("missing"))).isEmpty();
    }

    @Test
    void clientTokensAreAKindOfTheirOwn() {
        String token = unique("CreateDataset/token");
        store().create(Kind.CLIENT_TOKEN, token, "{\"Id\":\"d1\"}", T0);
        assertThat(store().find(Kind.CLIENT_TOKEN, token))
                .contains(new Entry(Kind.CLIENT_TOKEN, token, "{\"Id\":\"d1\"}", 1, T0, T0));
        assertThat(store().find(Kind.DATASET, token)).isEmpty();
        assertThat(store().find(Kind.INGESTION_JOB, token)).isEmpty();
        assertThatThrownBy(() -> store().create(Kind.CLIENT_TOKEN, token, "other", T0))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("Client token '" + token + "' already exists");
                });
        store().delete(Kind.CLIENT_TOKEN, token);
        assertThat(store().find(Kind.CLIENT_TOKEN, token)).isEmpty();
    }

    @Test
    void aNameIsTakenOnceAndTheFirstDocumentStays() {
        String name = unique("taken");
        store().create(Kind.INGESTION_JOB, name, "first", T0);
        assertThatThrownBy(() -> store().create(Kind.INGESTION_JOB, name, "second", T0.plusSeconds(5)))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("Ingestion job '" + name + "' already exists");
                });
        assertThat(store().find(Kind.INGESTION_JOB, name).orElseThrow().document()).isEqualTo("first");
    }

    @Test
    void anUpdateNeedsTheVersionItWasMadeFromAndCountsItUp() {
        String name = unique("versioned");
        store().create(Kind.DATASET, name, "v1", T0);
        store().update(Kind.DATASET, name, "v2", 1, T0.plusSeconds(10));
        assertThat(store().find(Kind.DATASET, name))
                .contains(new Entry(Kind.DATASET, name, "v2", 2, T0, T0.plusSeconds(10)));

        assertThatThrownBy(() -> store().update(Kind.DATASET, name, "stale", 1, T0.plusSeconds(20)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(store().find(Kind.DATASET, name).orElseThrow().document()).isEqualTo("v2");

        String gone = unique("gone");
        assertThatThrownBy(() -> store().update(Kind.DATASET, gone, "x", 1, T0))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store().find(Kind.DATASET, gone)).isEmpty();
    }

    @Test
    void deletingRemovesTheEntryAndFreesItsNameTwiceOverIsFine() {
        String name = unique("deleted");
        store().create(Kind.DATASET, name, "x", T0);
        store().delete(Kind.DATASET, name);
        assertThat(store().find(Kind.DATASET, name)).isEmpty();
        store().delete(Kind.DATASET, name);
        store().create(Kind.DATASET, name, "again", T0);
        assertThat(store().find(Kind.DATASET, name).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void listingPagesThroughOneKindInNameOrder() {
        String prefix = unique("list");
        List<String> names = new ArrayList<>();
        for (String suffix : List.of("c", "a", "e", "b", "d")) {
            names.add(prefix + suffix);
            store().create(Kind.INGESTION_JOB, prefix + suffix, suffix, T0);
        }
        store().create(Kind.DATASET, prefix + "z-other-kind", "x", T0);
        List<String> seen = new ArrayList<>();
        String after = prefix; // everything of this test sorts after its prefix
        do {
            Page<Entry> page = store().list(Kind.INGESTION_JOB, after, 2);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(e -> {
                assertThat(e.kind()).isEqualTo(Kind.INGESTION_JOB);
                if (e.name().startsWith(prefix)) {
                    seen.add(e.name());
                }
            });
            after = page.lastKey();
            if (!page.items().isEmpty() && !page.items().get(page.items().size() - 1).name().startsWith(prefix)) {
                break; // past this test's entries
            }
        } while (after != null);
        assertThat(seen).containsExactly(prefix + "a", prefix + "b", prefix + "c", prefix + "d", prefix + "e");
    }
}
