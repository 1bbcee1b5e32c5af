package dev.intake.local;

import dev.intake.core.ports.WorkflowStarter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

class LocalRuntimeTest {
    @TempDir
    Path dataDir;

    @Test
    void aJobStoredWithoutAnExecutionRunsWhenTheRuntimeStartsAgainAndDataIsKept() throws Exception {
        // A process that stores the job and dies before starting its execution.
        try (SqliteDatabase database = SqliteDatabase.inDirectory(dataDir);
             EmbeddedS3 s3 = EmbeddedS3.inDirectory(dataDir.resolve("s3"), 0)) {
            s3.createBucket(LocalRuntime.LANDING_BUCKET);
            s3.client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("r/a.csv"), RequestBody.fromString("ID\nx\ny\n"));
            Services dying = LocalRuntime.services(SqliteStorage.of(database), s3.client(), WorkflowStarter.manual(name -> {
                throw new IllegalStateException("process died");
            }), 1 << 20);
            dying.datasets.create("resumed", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}",
                    List.of("ID"));
            ImportJob job = dying.jobs.create(new NewImport("orphan", "resumed", "s3://intake-landing/r/", ImportMode.FULL,
                    null, Map.of(), false, null));
            assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        }

        LocalRuntime.Options options = new LocalRuntime.Options(0, 0, dataDir, 1 << 20, LocalRuntime.LANDING_ONLY);
        try (LocalRuntime runtime = new LocalRuntime(options)) {
            runtime.workflows().execution("orphan").await(java.time.Duration.ofSeconds(30));
            assertThat(runtime.services().jobs.describe("orphan").status()).isEqualTo(JobStatus.ACTIVE);
            assertThat(runtime.services().datasets.record("resumed", Map.of("ID", "y"))).contains("{\"ID\":\"y\"}");
        }
        try (LocalRuntime again = new LocalRuntime(options)) {
            assertThat(again.services().datasets.record("resumed", Map.of("ID", "x"))).as("kept between runs")
                    .contains("{\"ID\":\"x\"}");
        }
    }
}
