package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.WorkflowStarter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A request outside the import settings is refused before anything about the job exists. */
class ImportJobServiceAccessTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}";
    private static final String ROLE = "arn:aws:iam::123456789012:role/reader";

    private final DatasetStore datasets = mock(DatasetStore.class);
    private final JobStore jobs = mock(JobStore.class);
    private final WorkflowStarter starter = mock(WorkflowStarter.class);
    private final ImportMetrics metrics = mock(ImportMetrics.class);
    private final ImportJobService service = new ImportJobService(datasets, jobs, starter, metrics,
            ImportAccess.parse("s3://landing/,s3://shared/data/", ROLE),
            Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

    ImportJobServiceAccessTest() {
        Instant t = Instant.parse("2024-12-01T00:00:00Z");
        when(datasets.find("items")).thenReturn(Optional.of(new Dataset("items", SCHEMA, List.of("ID"), t, t, "g1", true, 0)));
    }

    private static NewImport request(String location, String role) {
        return new NewImport("job-1", "items", location, ImportMode.FULL, role, Map.of(), false, null);
    }

    @Test
    void aRefusedLocationOrRoleStoresNoJobStartsNothingAndCountsNothing() {
        for (NewImport hostile : List.of(request("s3://shared/database/x.csv", null), request("s3://landing-evil/x.csv", null),
                request("s3://shared/data/../secret.csv", null), request("s3://landing/x.csv", ROLE + "2"))) {
            assertThatThrownBy(() -> service.create(hostile)).as(hostile.dataLocation())
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ACCESS_DENIED));
        }
        verifyNoInteractions(jobs, starter, metrics);
    }

    @Test
    void anAllowedRequestIsStoredAndStarted() {
        when(jobs.queueHead("items")).thenReturn(Optional.of("job-1")); // first in its dataset's queue
        ImportJob job = service.create(request("s3://shared/data/part-1.csv", ROLE));
        assertThat(job.roleArn()).isEqualTo(ROLE);
        verify(jobs).create(any());
        verify(starter).start("job-1");
    }
}
