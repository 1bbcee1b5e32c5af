package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.local.asl.ExecutionResult;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.StateMachine;
import dev.intake.local.asl.VirtualSleeper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the machine's disk fills up during an import, the job fails saying so, not "an internal error". */
class FullDiskTest {
    @Test
    void aFullDiskFailsTheImportWithThatReason() throws Exception {
        try (LocalFixture aws = new LocalFixture()) {
            Services services = aws.services(1 << 20);
            services.datasets.create("big", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
                    + "{\"name\":\"TEXT\",\"type\":\"string\"}]}", List.of("ID"));
            StringBuilder csv = new StringBuilder("ID,TEXT\n");
            for (int i = 0; i < 5_000; i++) {
                csv.append("id-").append(i).append(',').append("x".repeat(200)).append('\n');
            }
            aws.put("big/rows.csv", csv.toString());
            ImportJob job = services.jobs.create(new NewImport("fills-the-disk", "big", "s3://data/big/rows.csv",
                    ImportMode.FULL, null, Map.of(), false, null));
            // The database may grow by a few pages only: the records of the import do not fit.
            aws.database.transaction("limit the database's size", db -> {
                long pages;
                try (var rs = db.statement("PRAGMA page_count").executeQuery()) {
                    rs.next();
                    pages = rs.getLong(1);
                }
                db.statement("PRAGMA max_page_count = " + (pages + 40)).execute();
                return null;
            });

            try (Executor executor = new Executor(new LocalFunctions(services), new VirtualSleeper(), 2,
                    LocalFunctions.objectReader(aws.s3.client()))) {
                StateMachine machine = StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions());
                ExecutionResult result = executor.run(machine, Json.parse("{\"jobName\":\"fills-the-disk\"}"));
                assertThat(result.history()).as("not retried: a full disk stays full").containsOnlyOnce("Ingest");
            }

            ImportJob failed = services.jobs.describe(job.name());
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.failureReason()).startsWith("The local database (the in-memory database) could not ")
                    .endsWith(": the disk is full (SQLITE_FULL); free space and start the import again");
        }
    }
}
