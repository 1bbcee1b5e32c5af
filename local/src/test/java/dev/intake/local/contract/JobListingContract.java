package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link dev.intake.core.ports.JobStore#list}: jobs by dataset (or all) in creation order, in pages. */
abstract class JobListingContract extends StorageContract {

    private List<String> all(String dataset, int pageSize) {
        List<String> names = new ArrayList<>();
        String after = null;
        do {
            Page<ImportJob> page = storage.jobs().listJobs(dataset, after, pageSize);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(pageSize);
            page.items().forEach(j -> names.add(j.name()));
            after = page.lastKey();
        } while (after != null);
        return names;
    }

    @Test
    void aDatasetsJobsListInCreationOrderThenByNameWhateverTheirState() {
        String dataset = dataset();
        String other = dataset();
        String b = unique("b");
        String a = unique("a");
        String c = unique("c");
        storage.jobs().create(job(dataset, c, T0.plusSeconds(5), ImportMode.FULL));
        storage.jobs().create(job(dataset, b, T0, ImportMode.FULL));
        storage.jobs().create(job(other, unique("x"), T0, ImportMode.FULL));
        // same instant: by name
        String first = a.compareTo(b) < 0 ? a : b;
        storage.jobs().create(job(dataset, a, T0, ImportMode.INCREMENTAL));
        ImportJob ended = ended(storage.jobs().find(b).orElseThrow(), dev.intake.core.JobStatus.FAILED, T0.plusSeconds(1),
                "because", dev.intake.core.ImportStatistics.EMPTY);
        storage.jobs().finish(ended, null, null);

        List<String> expected = new ArrayList<>(List.of(a, b));
        expected.sort(null);
        expected.add(c);
        assertThat(expected.get(0)).isEqualTo(first);
        assertThat(all(dataset, 1)).containsExactlyElementsOf(expected);
        assertThat(all(dataset, 100)).containsExactlyElementsOf(expected);
        Page<ImportJob> page = storage.jobs().listJobs(dataset, null, 3);
        assertThat(page.items().get(expected.indexOf(b))).isEqualTo(storage.jobs().find(b).orElseThrow());
        assertThat(storage.jobs().listJobs(unique("none"), null, 10).items()).isEmpty();
        assertThat(all(null, 2)).containsSubsequence(expected);
    }
}
