package dev.intake.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.ImportTrigger;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory written by an older Intake opens, and its jobs read back with the columns added since. */
class SqliteUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aJobsTableWithoutTheTriggerColumnsGetsThemAndItsJobsReadAsStartedByTheApi() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteDatabase.FILE_NAME));
             var s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE jobs (name TEXT PRIMARY KEY, dataset TEXT NOT NULL, data_location TEXT NOT NULL,
                      mode TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                      failure_reason TEXT, role_arn TEXT, tags TEXT NOT NULL, publish_statistics INTEGER NOT NULL,
                      max_failed_rows_percent REAL NOT NULL, added INTEGER NOT NULL, updated INTEGER NOT NULL,
                      unchanged INTEGER NOT NULL, skipped INTEGER NOT NULL, failed INTEGER NOT NULL,
                      files_total INTEGER NOT NULL, files_ingested INTEGER NOT NULL, files_discarded INTEGER NOT NULL,
                      bytes INTEGER NOT NULL, statistics_location TEXT, error_report_location TEXT)""");
            s.execute("INSERT INTO jobs VALUES ('old-job', 'items', 's3://b/k.csv', 'FULL', 'ACTIVE', 1, 2, NULL, NULL, "
                    + "'{}', 0, 10.0, 1, 0, 0, 0, 0, 1, 1, 0, 10, NULL, NULL)");
        }
        try (SqliteDatabase db = SqliteDatabase.inDirectory(dir)) {
            var job = new SqliteJobStore(db).find("old-job").orElseThrow();
            assertThat(job.trigger()).isEqualTo(ImportTrigger.API);
            assertThat(job.statistics().added()).isEqualTo(1);
            // The outbox of state-change events is there too: an older job's changes from now on reach it.
            SqliteJobEvents outbox = new SqliteJobEvents(db);
            assertThat(outbox.oldest(10)).isEmpty();
            db.transaction("fail the old job", d -> d.statement("UPDATE jobs SET status = 'FAILED' WHERE name = 'old-job'")
                    .executeUpdate());
            assertThat(outbox.oldest(10)).extracting(SqliteJobEvents.Entry::job, SqliteJobEvents.Entry::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("old-job", dev.intake.core.JobStatus.FAILED));
        }
    }
}
