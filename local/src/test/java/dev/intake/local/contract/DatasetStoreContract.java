package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The semantics of {@link dev.intake.core.ports.DatasetStore}, for every adapter. */
abstract class DatasetStoreContract extends StorageContract {

    @Test
    void aCreatedDatasetReadsBackExactly() {
        String name = unique("exact");
        Dataset created = new Dataset(name, "{\"type\":\"record\",\"name\":\"R\"}", List.of("B", "A"), T0,
                T0.plusMillis(1), "initial-1", false, 0);
        storage.datasets().create(created);
        assertThat(storage.datasets().find(name)).contains(created);
        assertThat(storage.datasets().find(unique("missing"))).isEmpty();
    }

    @Test
    void namesAreUniqueAndARefusedCreateChangesNothing() {
        String name = dataset();
        Dataset before = storage.datasets().find(name).orElseThrow();
        assertThatThrownBy(() -> storage.datasets().create(new Dataset(name, "{}", List.of("other"), T0.plusSeconds(9),
                T0.plusSeconds(9), "g9", true, 0)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("Dataset '" + name + "' already exists");
        assertThat(storage.datasets().find(name)).contains(before);
    }

    @Test
    void pagesListEveryDatasetOnceInNameOrder() {
        String prefix = unique("page");
        List<String> names = List.of(prefix + "-c", prefix + "-a", prefix + "-e", prefix + "-b", prefix + "-d");
        for (String n : names) {
            storage.datasets().create(new Dataset(n, "{}", List.of("id"), T0, T0, "g0", false, 0));
        }
        for (int limit : List.of(1, 2, 3, 100)) {
            List<String> seen = new ArrayList<>();
            String after = prefix; // every name of this test sorts after its bare prefix
            for (int pages = 0; after != null; pages++) {
                assertThat(pages).as("pages of %d", limit).isLessThan(10);
                Page<Dataset> page = storage.datasets().list(after, limit);
                assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
                page.items().stream().map(Dataset::name).filter(n -> n.startsWith(prefix)).forEach(seen::add);
                boolean beyondThisTest = page.items().stream().anyMatch(d -> !d.name().startsWith(prefix));
                after = beyondThisTest ? null : page.lastKey();
            }
            assertThat(seen).as("limit %d", limit).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c",
                    prefix + "-d", prefix + "-e");
        }
        Page<Dataset> fromC = storage.datasets().list(prefix + "-c", 2);
        assertThat(fromC.items()).extracting(Dataset::name).containsExactly(prefix + "-d", prefix + "-e");
    }

    @Test
    void theLastPageSaysThereIsNoMore() {
        String name = unique("zzzz-last"); // sorts after every other name the suites make
        storage.datasets().create(new Dataset(name, "{}", List.of("id"), T0, T0, "g0", false, 0));
        String after = name.substring(0, name.length() - 1);
        Page<Dataset> page = storage.datasets().list(after, 100);
        assertThat(page.items()).extracting(Dataset::name).containsExactly(name);
        assertThat(page.lastKey()).isNull();
    }

    @Test
    void aDeletedDatasetIsMarkedThenStartedThenForgottenAndTakesNoImportMeanwhile() {
        String name = dataset();
        var job = job(name, unique("job"), T0, ImportMode.FULL);
        storage.jobs().create(job);
        storage.jobs().finish(ended(job, JobStatus.ACTIVE, T0.plusSeconds(1), null, ImportStatistics.EMPTY), "g1", "g0");
        storage.datasets().forget(name);
        assertThat(storage.datasets().find(name)).as("an active dataset is never forgotten").isPresent();

        Dataset marked = storage.datasets().markDeleting(name);
        assertThat(marked.status()).isEqualTo(Dataset.Status.DELETE_PENDING);
        assertThat(marked.generation()).isEqualTo("g1");
        assertThat(marked.retiredGenerations()).containsExactly("g0");
        assertThat(marked.activeJobs()).isZero();
        assertThat(storage.datasets().find(name).orElseThrow().status()).isEqualTo(Dataset.Status.DELETE_PENDING);
        assertThat(storage.datasets().list(null, 100).items()).filteredOn(d -> d.name().equals(name))
                .extracting(Dataset::status).containsExactly(Dataset.Status.DELETE_PENDING);
        assertThatThrownBy(() -> storage.jobs().create(job(name, unique("job"), T0.plusSeconds(2), ImportMode.FULL)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("Dataset '" + name + "' does not exist or is being deleted");

        storage.datasets().deletionStarted(name);
        assertThat(storage.datasets().markDeleting(name).status()).as("marking again keeps how far it came")
                .isEqualTo(Dataset.Status.DELETE_IN_PROGRESS);
        storage.datasets().forget(name);
        assertThat(storage.datasets().find(name)).isEmpty();
        assertThatThrownBy(() -> storage.datasets().markDeleting(name))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("Dataset '" + name + "' does not exist");
        storage.datasets().create(new Dataset(name, "{}", List.of("id"), T0, T0, "g9", false, 0));
        assertThat(storage.datasets().find(name).orElseThrow().retiredGenerations()).as("nothing of the old one").isEmpty();
        assertThat(storage.datasets().find(name).orElseThrow().status()).isEqualTo(Dataset.Status.ACTIVE);
    }

    @Test
    void aDatasetWithPendingOrRunningImportsCannotBeDeleted() {
        String name = dataset();
        var first = job(name, unique("job"), T0, ImportMode.FULL);
        var second = job(name, unique("job"), T0.plusSeconds(1), ImportMode.FULL);
        storage.jobs().create(first);
        storage.jobs().create(second);
        storage.jobs().transition(first.name(), JobStatus.PENDING, JobStatus.IN_PROGRESS, T0.plusSeconds(2));
        assertThatThrownBy(() -> storage.datasets().markDeleting(name))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IN_USE))
                .hasMessage("Dataset '" + name + "' has 2 import job(s) pending or in progress; delete it when they have finished");
        assertThat(storage.datasets().find(name)).isPresent();

        storage.jobs().finish(ended(first, JobStatus.FAILED, T0.plusSeconds(3), "stopped", ImportStatistics.EMPTY), null, null);
        assertThat(storage.datasets().find(name).orElseThrow().activeJobs()).isEqualTo(1);
        assertThatThrownBy(() -> storage.datasets().markDeleting(name)).hasMessageContaining("has 1 import job(s)");
        storage.jobs().finish(ended(second, JobStatus.FAILED, T0.plusSeconds(4), "stopped", ImportStatistics.EMPTY), null, null);
        assertThat(storage.datasets().markDeleting(name).status()).isEqualTo(Dataset.Status.DELETE_PENDING);
        assertThat(storage.datasets().find(name).orElseThrow().status()).isEqualTo(Dataset.Status.DELETE_PENDING);
    }

    @Test
    void aDeletedNameCanBeUsedAgain() {
        String name = dataset();
        storage.datasets().markDeleting(name);
        storage.datasets().forget(name);
        Dataset again = new Dataset(name, "{}", List.of("id"), T0.plusSeconds(60), T0.plusSeconds(60), "g-again", false, 0);
        storage.datasets().create(again);
        assertThat(storage.datasets().find(name)).contains(again);
    }

    @Test
    void aDeletedGenerationIsForgottenAndOnlyThatOne() {
        String name = dataset();
        for (String generation : List.of("g1", "g2")) {
            var job = job(name, unique("job"), T0, ImportMode.FULL);
            storage.jobs().create(job);
            storage.jobs().finish(ended(job, JobStatus.FAILED, T0.plusSeconds(1), "failed", ImportStatistics.EMPTY), null,
                    generation);
        }
        assertThat(storage.datasets().find(name).orElseThrow().retiredGenerations()).isEqualTo(Set.of("g1", "g2"));
        storage.datasets().generationDeleted(name, "g1");
        assertThat(storage.datasets().find(name).orElseThrow().retiredGenerations()).containsExactly("g2");
        storage.datasets().generationDeleted(name, "g1"); // again: nothing left to forget
        assertThat(storage.datasets().find(name).orElseThrow().retiredGenerations()).containsExactly("g2");
        storage.datasets().generationDeleted(unique("no-such-dataset"), "g1"); // a dataset deleted meanwhile
    }
}
