package dev.intake.lookout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportProgress;
import dev.intake.core.ImportStatistics;
import dev.intake.core.JobStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A running ingestion job's StatusDetail: its progress, as the engine counts it. */
class LookoutStatusDetailTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static ImportJob running(ImportStatistics statistics) {
        return new ImportJob("job", "ds", "s3://b/p/", ImportMode.INCREMENTAL, JobStatus.IN_PROGRESS, AT, AT, null, null,
                Map.of(), false, 10.0, statistics, null, null);
    }

    @Test
    void aRunningJobShowsFilesBytesRowsThePaceAndTheTimeLeft() {
        ImportJob job = running(ImportStatistics.EMPTY.withFiles(5, 4, 1, 5_000_000));
        assertThat(LookoutViews.statusDetail(job, Optional.of(new ImportProgress(1, 4, 1_200_000, 5_000_000, 12_345,
                51_438, 1_234.4, 170)))).isEqualTo("Ingesting 1 of 4 file(s) (1 discarded): 1.2 of 5.0 MB (24%),"
                + " 12,345 row(s) at 1,234 rows/s, about 3 min left");
        assertThat(LookoutViews.statusDetail(job, Optional.of(new ImportProgress(3, 4, 4_900_000, 5_000_000, 40_000,
                40_816, 2_000, 9)))).endsWith("(98%), 40,000 row(s) at 2,000 rows/s, about 9 s left");
        assertThat(LookoutViews.statusDetail(job, Optional.of(new ImportProgress(4, 4, 5_000_000, 5_000_000, 41_000,
                41_000, 2_000, 0)))).endsWith("(100%), 41,000 row(s) at 2,000 rows/s, finishing");
        assertThat(LookoutViews.statusDetail(job, Optional.of(new ImportProgress(0, 4, 0, 5_000_000, 0, 0, 0,
                ImportProgress.UNKNOWN)))).isEqualTo("Ingesting 0 of 4 file(s) (1 discarded): 0.0 of 5.0 MB (0%),"
                + " 0 row(s), no file part done yet");
    }

    @Test
    void beforeItsPlanAJobIsListingItsFiles() {
        assertThat(LookoutViews.statusDetail(running(ImportStatistics.EMPTY), Optional.of(new ImportProgress(0, 0, 0, 0,
                0, 0, 0, ImportProgress.UNKNOWN)))).isEqualTo("Listing and checking the input files");
    }
}
