package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportStatus;
import dev.intake.core.ports.ExportJobStore;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The semantics of {@link ExportJobStore}, for every adapter. */
abstract class ExportJobStoreContract extends StorageContract {
    private ExportJobStore jobs() {
        return storage.exports();
    }

    private static ExportJob job(String name, String dataset) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "data science");
        tags.put("ключ", "значение ✓");
        return new ExportJob(name, dataset, ExportJob.IngestionMode.BULK, "arn:aws:iam::000000000000:role/r",
                "s3://bucket/out/", "arn:aws:kms:us-east-1:000000000000:key/k", tags, ExportStatus.PENDING, null, T0, T0, null);
    }

    @Test
    void aJobReadsBackAsItWasStoredAndItsNameStaysTaken() {
        ExportJob job = job(unique("exp"), "ds");
        jobs().create(job);
        assertThat(jobs().find(job.name())).contains(job);
        assertThat(jobs().find(job.name() + "-other")).isEmpty();
        assertThatThrownBy(() -> jobs().create(job(job.name(), "another")))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS));
        assertThat(jobs().find(job.name()).orElseThrow().dataset()).isEqualTo("ds");
        ExportJob minimal = new ExportJob(unique("exp"), "ds", ExportJob.IngestionMode.PUT, null, "s3://b/", null, Map.of(),
                ExportStatus.PENDING, null, T0, T0, null);
        jobs().create(minimal);
        assertThat(jobs().find(minimal.name())).contains(minimal);
    }

    @Test
    void aChangeAppliesOnlyFromTheStatusItWasDecidedOn() {
        ExportJob job = job(unique("exp"), "ds");
        jobs().create(job);
        ExportJob started = job.started("gen-1", T0.plusSeconds(1));
        assertThat(jobs().replace(started, ExportStatus.IN_PROGRESS)).as("not in progress yet").isFalse();
        assertThat(jobs().find(job.name())).contains(job);
        assertThat(jobs().replace(started, ExportStatus.PENDING)).isTrue();
        assertThat(jobs().find(job.name())).contains(started);
        assertThat(jobs().replace(started, ExportStatus.PENDING)).as("started already").isFalse();
        ExportJob failed = started.ended(ExportStatus.FAILED, "Could not write s3://b/x: \"denied\"\nline 2", T0.plusSeconds(2));
        assertThat(jobs().replace(failed, ExportStatus.IN_PROGRESS)).isTrue();
        assertThat(jobs().replace(started.ended(ExportStatus.ACTIVE, null, T0.plusSeconds(3)), ExportStatus.IN_PROGRESS))
                .as("a failed job stays failed").isFalse();
        assertThat(jobs().find(job.name())).contains(failed);
        assertThat(jobs().replace(job(unique("exp"), "ds"), ExportStatus.PENDING)).as("no such job").isFalse();
    }

    @Test
    void jobsAreListedByNameInPagesOfAllOrOfOneDataset() {
        String prefix = unique("list");
        String dataset = unique("ds");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = prefix + "-" + i;
            names.add(name);
            jobs().create(job(name, i % 3 == 0 ? dataset : dataset + "-other"));
        }
        List<String> ofDataset = new ArrayList<>();
        String after = null;
        do {
            Page<ExportJob> page = jobs().list(dataset, after, 2);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(j -> ofDataset.add(j.name()));
            after = page.lastKey();
        } while (after != null);
        assertThat(ofDataset).containsExactly(names.get(0), names.get(3), names.get(6));

        List<String> all = new ArrayList<>();
        after = prefix; // every name of this test sorts after its prefix
        do {
            Page<ExportJob> page = jobs().list(null, after, 3);
            page.items().stream().map(ExportJob::name).filter(n -> n.startsWith(prefix)).forEach(all::add);
            after = page.lastKey();
        } while (after != null);
        assertThat(all).containsExactlyElementsOf(names);
        Page<ExportJob> exact = jobs().list(dataset, null, 3);
        assertThat(exact.items()).hasSize(3);
        assertThat(exact.lastKey()).as("no more of the dataset").isNull();
        assertThat(jobs().list(unique("none"), null, 5).items()).isEmpty();
    }
}
