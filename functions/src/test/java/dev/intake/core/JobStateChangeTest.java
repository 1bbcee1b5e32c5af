package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobStateChangeTest {
    private static final Instant CREATED = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant LATER = Instant.parse("2025-03-01T10:05:00Z");

    static ImportJob job(JobStatus status, Instant updatedAt) {
        return new ImportJob("users-1", "users", "s3://intake-landing/users/", ImportMode.FULL, status, CREATED,
                updatedAt, null, null, Map.of(), false, 10, null, null, null);
    }

    @Test
    void aCreatedJobIsAChangeFromNothingToPendingAtItsCreation() {
        ImportJob created = job(JobStatus.PENDING, CREATED);
        assertThat(JobStateChange.between(null, created))
                .contains(new JobStateChange(created, null, JobStatus.PENDING, CREATED));
    }

    @Test
    void aTransitionIsAChangeFromTheOldStatusToTheNewAtTheNewUpdateTime() {
        ImportJob after = job(JobStatus.IN_PROGRESS, LATER);
        JobStateChange change = JobStateChange.between(job(JobStatus.PENDING, CREATED), after).orElseThrow();
        assertThat(change).isEqualTo(new JobStateChange(after, JobStatus.PENDING, JobStatus.IN_PROGRESS, LATER));
        assertThat(change.terminal()).isFalse();
        assertThat(JobStateChange.between(after, job(JobStatus.FAILED, LATER)).orElseThrow().terminal()).isTrue();
    }

    @Test
    void aWriteThatKeepsTheStatusOrRemovesTheJobIsNoChange() {
        // e.g. the plan recorded on a running job, or a retried write
        assertThat(JobStateChange.between(job(JobStatus.IN_PROGRESS, CREATED), job(JobStatus.IN_PROGRESS, LATER))).isEmpty();
        assertThat(JobStateChange.between(job(JobStatus.ACTIVE, CREATED), null)).isEmpty();
        assertThat(JobStateChange.between(null, null)).isEmpty();
    }
}
