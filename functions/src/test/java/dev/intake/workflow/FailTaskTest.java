package dev.intake.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailTaskTest {
    @Test
    void engineErrorsKeepTheirMessage() {
        assertThat(FailTask.reason("dev.intake.core.ImportFailedException",
                "{\"errorMessage\":\"No file found at s3://b/x/\",\"errorType\":\"dev.intake.core.ImportFailedException\"}"))
                .isEqualTo("No file found at s3://b/x/");
        assertThat(FailTask.reason("dev.intake.core.JobNotRunningException",
                "{\"errorMessage\":\"Import job 'j' is no longer in progress; its remaining writes were refused\"}"))
                .isEqualTo("Import job 'j' is no longer in progress; its remaining writes were refused");
        assertThat(FailTask.reason("dev.intake.core.TransientImportException", "{\"errorMessage\":\"Could not reach S3\"}"))
                .isEqualTo("The import kept failing after retries: Could not reach S3");
    }

    @Test
    void otherErrorsAreNamedNotQuoted() {
        assertThat(FailTask.reason("java.lang.NullPointerException", "{\"errorMessage\":\"secret internals\"}"))
                .isEqualTo("The import stopped on an internal error; it can be started again")
                .doesNotContain("secret").doesNotContain("java.lang");
        assertThat(FailTask.reason("States.Timeout", "")).isEqualTo("An import step timed out");
    }

    @Test
    void aMapRunsOwnErrorsSayWhatHappenedWithoutTheirInternalNames() {
        assertThat(FailTask.reason("States.ExceedToleratedFailureThreshold",
                "The specified tolerated failure threshold was exceeded"))
                .isEqualTo("A chunk of the import failed without recording why (its child execution ended early);"
                        + " the import can be started again")
                .doesNotContain("States.");
        assertThat(FailTask.reason("States.ItemReaderFailed", "Could not read s3://results/manifests/j/pass-1.jsonl"))
                .isEqualTo("The import's chunk manifest could not be read; the import can be started again");
    }
}
