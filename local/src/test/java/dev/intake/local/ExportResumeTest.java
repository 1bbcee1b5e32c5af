package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportStatus;
import dev.intake.local.store.SqliteExportJobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Export jobs left unfinished when the local runtime stopped run again when it starts. */
class ExportResumeTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/exporter";

    @TempDir
    Path dataDir;

    @Test
    void anExportLeftPendingOrInProgressIsRunAgainAtStartUp() throws Exception {
        LocalRuntime.Options options = LocalRuntime.Options.defaults().withDataDir(dataDir).withPorts(0, 0)
                .withImportRoleArn(ROLE);
        try (LocalRuntime first = new LocalRuntime(options)) {
            first.services().datasets.create("things", "{\"type\":\"record\",\"name\":\"T\",\"fields\":["
                    + "{\"name\":\"ID\",\"type\":\"string\"}]}", List.of("ID"));
            first.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("in/things.csv"),
                    RequestBody.fromString("ID\na\nb\n", StandardCharsets.UTF_8));
            first.services().jobs.create(new dev.intake.core.NewImport("things-1", "things",
                    "s3://" + LocalRuntime.LANDING_BUCKET + "/in/things.csv", dev.intake.core.ImportMode.FULL, null, Map.of(),
                    false, null));
            awaitImport(first, "things-1");
            // as if the process had died right after storing them: no execution runs either
            Instant now = Instant.now();
            var store = new SqliteExportJobStore(first.database());
            for (String name : List.of("left-pending", "left-running")) {
                store.create(new ExportJob(name, "things", ExportJob.IngestionMode.ALL, ROLE,
                        "s3://" + LocalRuntime.LANDING_BUCKET + "/out/", null, Map.of(), ExportStatus.PENDING, null, now, now, null));
            }
            ExportJob pending = store.find("left-running").orElseThrow();
            String generation = first.services().datasetStore.find("things").orElseThrow().generation();
            assertThat(store.replace(pending.started(generation, now), ExportStatus.PENDING)).isTrue();
        }
        try (LocalRuntime second = new LocalRuntime(options)) {
            for (String name : List.of("left-pending", "left-running")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (second.services().exports.describe(name).status() != ExportStatus.ACTIVE) {
                    assertThat(second.services().exports.describe(name).status()).isNotEqualTo(ExportStatus.FAILED);
                    assertThat(System.nanoTime()).as(name + " ends in time").isLessThan(deadline);
                    Thread.sleep(20);
                }
                String part = second.s3().client().getObjectAsBytes(r -> r.bucket(LocalRuntime.LANDING_BUCKET)
                        .key("out/" + name + "/part-00000.csv")).asUtf8String();
                assertThat(part).isEqualTo("ID\na\nb\n");
            }
        }
    }

    private static void awaitImport(LocalRuntime runtime, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runtime.services().jobs.describe(job).status() != dev.intake.core.JobStatus.ACTIVE) {
            assertThat(runtime.services().jobs.describe(job).status()).isNotEqualTo(dev.intake.core.JobStatus.FAILED);
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
