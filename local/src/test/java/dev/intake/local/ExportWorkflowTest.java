package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.Dataset;
import dev.intake.core.ImportFailedException;
import dev.intake.core.TransientImportException;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportStatus;
import dev.intake.core.export.ExportWorkflow;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.StoredObject;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The export's steps on the embedded store: idempotent, bounded, and failing with a reason where they cannot go on. */
class ExportWorkflowTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
            + "{\"name\":\"N\",\"type\":[\"null\",\"long\"],\"default\":null}]}";

    private final SqliteDatabase db = SqliteDatabase.inMemory();
    private final Storage storage = SqliteStorage.of(db);
    /** Objects put, by bucket/key; a put into bucket "broken" fails as S3 would, "flaky" for now. */
    private final Map<String, String> objects = new TreeMap<>();
    private final ObjectStore s3 = new ObjectStore() {
        @Override
        public List<StoredObject> list(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredObject> head(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream read(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType) {
            if (bucket.equals("broken") || bucket.equals("flaky")) {
                throw new ObjectStoreException("Access Denied", bucket.equals("flaky"), null);
            }
            assertThat(contentType).startsWith("text/csv");
            objects.put(bucket + "/" + key, new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void deleteAll(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }
    };
    private final ExportWorkflow workflow = new ExportWorkflow(storage.exports(), storage.datasets(), storage.records(),
            ObjectStores.single(s3), Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC), 40);

    @AfterEach
    void close() {
        db.close();
    }

    private void dataset(int records) {
        storage.datasets().create(new Dataset("ds", SCHEMA, List.of("ID"), T0, T0, "g0", true, 0));
        List<RecordWrite> writes = IntStream.range(0, records).mapToObj(i -> new RecordWrite(String.format("k%03d", i),
                "{\"ID\":\"" + String.format("k%03d", i) + "\",\"N\":" + (i % 2 == 0 ? i : "null") + "}", "h" + i, i, "",
                null, null)).toList();
        storage.records().write("ds", "g0", "import-1", writes);
    }

    private ExportJob job(String name, String bucket) {
        ExportJob job = new ExportJob(name, "ds", ExportJob.IngestionMode.BULK, null, "s3://" + bucket + "/out", null, Map.of(),
                ExportStatus.PENDING, null, T0, T0, null);
        storage.exports().create(job);
        return job;
    }

    @Test
    void partsAreBoundedAndEveryStepCanBeRetriedWithTheSameResult() {
        dataset(25);
        job("e1", "dest");
        assertThat(workflow.start("e1")).isTrue();
        assertThat(workflow.start("e1")).as("a retried start").isTrue();
        ExportJob started = storage.exports().find("e1").orElseThrow();
        assertThat(started.status()).isEqualTo(ExportStatus.IN_PROGRESS);
        assertThat(started.generation()).isEqualTo("g0");
        assertThat(started.updatedAt()).isEqualTo(T0.plusSeconds(5));

        List<String> rows = new ArrayList<>();
        ExportWorkflow.Step step = new ExportWorkflow.Step(0, null, false);
        while (!step.done()) {
            ExportWorkflow.Step next = workflow.exportPart("e1", step.part(), step.cursor());
            String key = "dest/out/e1/" + String.format("part-%05d.csv", step.part());
            String written = objects.get(key);
            assertThat(workflow.exportPart("e1", step.part(), step.cursor())).as("a retried part").isEqualTo(next);
            assertThat(objects.get(key)).isEqualTo(written);
            assertThat(written).startsWith("ID,N\n");
            assertThat(written.length()).as("a part ends with the record that makes it 40 characters long").isLessThan(40 + 10);
            rows.addAll(written.lines().skip(1).toList());
            step = next;
        }
        assertThat(objects).hasSizeGreaterThan(3);
        assertThat(rows).hasSize(25).doesNotHaveDuplicates().contains("k000,0", "k001,", "k024,24");

        assertThat(workflow.finish("e1").status()).isEqualTo(ExportStatus.ACTIVE);
        assertThat(workflow.finish("e1").status()).isEqualTo(ExportStatus.ACTIVE);
        assertThat(workflow.fail("e1", "late").status()).as("an ended job stays as it is").isEqualTo(ExportStatus.ACTIVE);
        assertThat(workflow.start("e1")).as("an ended job's execution just stops").isFalse();
        assertThatThrownBy(() -> workflow.exportPart("e1", 0, null)).isInstanceOf(ImportFailedException.class)
                .hasMessage("Dataset export job 'e1' is no longer in progress");
    }

    @Test
    void anEmptyDatasetIsOneHeaderOnlyFile() {
        dataset(0);
        job("e-empty", "dest");
        workflow.start("e-empty");
        assertThat(workflow.exportPart("e-empty", 0, null)).isEqualTo(new ExportWorkflow.Step(1, null, true));
        assertThat(objects).containsExactly(Map.entry("dest/out/e-empty/part-00000.csv", "ID,N\n"));
    }

    @Test
    void whatCannotGoOnFailsWithAReasonAndWhatMayPassIsRetried() {
        dataset(3);
        job("e-broken", "broken");
        workflow.start("e-broken");
        assertThatThrownBy(() -> workflow.exportPart("e-broken", 0, null)).isInstanceOf(ImportFailedException.class)
                .hasMessage("Could not write s3://broken/out/e-broken/part-00000.csv: Access Denied");
        job("e-flaky", "flaky");
        workflow.start("e-flaky");
        assertThatThrownBy(() -> workflow.exportPart("e-flaky", 0, null)).isInstanceOf(TransientImportException.class);

        // the generation it started on was replaced (a FULL import ended meanwhile)
        ExportJob stale = job("e-stale", "dest");
        assertThat(storage.exports().replace(stale.started("g-old", T0), ExportStatus.PENDING)).isTrue();
        assertThatThrownBy(() -> workflow.exportPart("e-stale", 0, null)).isInstanceOf(ImportFailedException.class)
                .hasMessage("A FULL import replaced the records of dataset 'ds' while they were being exported; export them again");
        assertThat(workflow.fail("e-stale", "why").failureReason()).isEqualTo("why");
        assertThat(storage.exports().find("e-stale").orElseThrow().status()).isEqualTo(ExportStatus.FAILED);

        // the dataset is being deleted
        job("e-deleted", "dest");
        storage.datasets().markDeleting("ds");
        assertThatThrownBy(() -> workflow.start("e-deleted")).isInstanceOf(ImportFailedException.class)
                .hasMessage("Dataset 'ds' is being deleted; its records were not exported");
        assertThat(workflow.fail("e-deleted", "gone").status()).as("a pending job can fail").isEqualTo(ExportStatus.FAILED);
        assertThat(objects).isEmpty();
    }
}
