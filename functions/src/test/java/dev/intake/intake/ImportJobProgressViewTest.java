package dev.intake.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.ImportProgress;
import org.junit.jupiter.api.Test;

/** DescribeImportJob's progress object: every figure, the time left only once there is something to go by. */
class ImportJobProgressViewTest {
    @Test
    void progressShowsEachFigureAndTheTimeLeftOnlyWhenKnown() {
        assertThat(DescribeImportJobHandler.progress(new ImportProgress(1, 4, 250_000, 1_000_000, 10_000, 40_000,
                100.04, 300)).toString()).isEqualTo("{\"filesDone\":1,\"filesTotal\":4,\"bytesDone\":250000,"
                + "\"bytesTotal\":1000000,\"rowsDone\":10000,\"rowsTotalEstimated\":40000,\"rowsPerSecond\":100.0,"
                + "\"estimatedSecondsRemaining\":300}");
        assertThat(DescribeImportJobHandler.progress(new ImportProgress(0, 4, 0, 1_000_000, 0, 0, 0,
                ImportProgress.UNKNOWN)).has("estimatedSecondsRemaining")).isFalse();
    }
}
