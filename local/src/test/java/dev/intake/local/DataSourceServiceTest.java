package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.adapters.s3.S3ObjectStore;
import dev.intake.app.Deployment;
import dev.intake.app.Services;
import dev.intake.core.DataSource;
import dev.intake.core.DataSourceService;
import dev.intake.core.DataSourceService.Changes;
import dev.intake.core.DataSourceService.NewDataSource;
import dev.intake.core.EngineSettings;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportTrigger;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.SourceSchedule;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.SourceSchedules;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.workflow.RunScheduledSourceTask;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DataSourceService on the embedded store with a recording schedule port: no partial state when a
 * schedule cannot be made, scheduled runs idempotent per scheduled time, a run while another is
 * going queues behind it, a disabled source's schedule starts nothing.
 */
class DataSourceServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SCHEMA = """
            {"type":"record","name":"Users","fields":[{"name":"ID","type":"string"}]}""";

    private LocalFixture fixture;
    private final List<String> started = new ArrayList<>();
    private final List<String> scheduleCalls = new ArrayList<>();
    private RuntimeException scheduleFailure;
    private Services services;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new LocalFixture();
        SourceSchedules recording = new SourceSchedules() {
            @Override
            public void put(DataSource source) {
                scheduleCalls.add("put " + source.name() + " " + (source.schedule() == null ? "none"
                        : source.schedule().expression() + (source.enabled() ? "" : " disabled")));
                if (scheduleFailure != null) {
                    throw scheduleFailure;
                }
            }

            @Override
            public void delete(String name) {
                scheduleCalls.add("delete " + name);
            }
        };
        services = new Services(fixture.storage, ObjectStores.single(new S3ObjectStore(fixture.s3.client())),
                WorkflowStarter.manual(started::add), WorkflowStarter.manual(d -> { }), ImportMetrics.NONE,
                new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, LocalFixture.ACCESS), Deployment.LOCAL,
                Clock.fixed(T0, ZoneOffset.UTC), recording);
        services.datasets.create("users", SCHEMA, List.of("ID"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private DataSource create(String name, SourceSchedule schedule) {
        return services.sources.create(new NewDataSource(name, "s3://data/users/", "users", null, schedule, null, null, null,
                Map.of()));
    }

    @Test
    void aScheduleThatCannotBeMadeLeavesNoSource() {
        scheduleFailure = new IllegalStateException("Scheduler is unreachable");
        assertThatThrownBy(() -> create("nightly", SourceSchedule.of("rate(1 day)", null)))
                .hasMessage("Scheduler is unreachable");
        assertThat(fixture.storage.dataSources().find("nightly")).isEmpty();
        scheduleFailure = null;
        assertThat(create("nightly", SourceSchedule.of("rate(1 day)", null)).version()).isEqualTo(1);
    }

    @Test
    void aFailedUpdateLeavesTheStoredSourceAndPutsItsScheduleBack() {
        create("nightly", SourceSchedule.of("rate(1 day)", null));
        // Another request changed it after this one read it: the conditional write fails.
        DataSource stored = fixture.storage.dataSources().find("nightly").orElseThrow();
        DataSource other = new DataSource("nightly", stored.location(), "users", stored.importMode(),
                SourceSchedule.of("rate(2 days)", null), true, null, null, Map.of(), T0, T0, 2);
        var conflicting = new dev.intake.core.ports.DataSourceStore() {
            final dev.intake.core.ports.DataSourceStore store = fixture.storage.dataSources();

            @Override
            public void create(DataSource s) {
                store.create(s);
            }

            @Override
            public java.util.Optional<DataSource> find(String n) {
                return store.find(n);
            }

            @Override
            public dev.intake.core.ports.Page<DataSource> list(String a, int l) {
                return store.list(a, l);
            }

            @Override
            public void update(DataSource s, long v) {
                store.update(other, 1); // the other request wins the race
                store.update(s, v);
            }

            @Override
            public void delete(String n) {
                store.delete(n);
            }

            @Override
            public List<DataSource> all() {
                return store.all();
            }
        };
        SourceSchedules recording = new SourceSchedules() {
            @Override
            public void put(DataSource source) {
                scheduleCalls.add("put " + source.name() + " " + source.schedule().expression());
            }

            @Override
            public void delete(String name) {
                scheduleCalls.add("delete " + name);
            }
        };
        DataSourceService racing = new DataSourceService(conflicting, fixture.storage.datasets(), recording, services.jobs,
                LocalFixture.ACCESS, Clock.fixed(T0, ZoneOffset.UTC));
        scheduleCalls.clear();
        assertThatThrownBy(() -> racing.update("nightly", new Changes(null, null, null, SourceSchedule.of("rate(5 minutes)",
                null), false, null, null, false, null)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(fixture.storage.dataSources().find("nightly")).contains(other);
        assertThat(scheduleCalls).containsExactly("put nightly rate(5 minutes)", "put nightly rate(2 days)");
    }

    @Test
    void aRetriedScheduledInvocationStartsNoSecondJobAndARunWhileAnotherGoesQueues() {
        create("nightly", SourceSchedule.of("cron(0 2 * * ? *)", "Europe/Berlin"));
        fixture.put("users/a.csv", "ID\nu1\n");
        RunScheduledSourceTask task = new RunScheduledSourceTask(services);
        Instant due = Instant.parse("2026-11-23T01:00:00Z");
        var first = task.invoke(RunScheduledSourceTask.input("nightly", due));
        var retried = task.invoke(RunScheduledSourceTask.input("nightly", due));
        assertThat(first.get("jobName").asText()).isEqualTo("nightly-s-20261123-0100");
        assertThat(retried).isEqualTo(first);
        assertThat(started).containsExactly("nightly-s-20261123-0100");

        // The next day's run while the first is still pending: an ordinary job, waiting its turn.
        var next = task.invoke(RunScheduledSourceTask.input("nightly", due.plusSeconds(86_400)));
        ImportJob queued = services.jobs.describe(next.get("jobName").asText());
        assertThat(queued.status()).isEqualTo(JobStatus.PENDING);
        assertThat(queued.trigger()).isEqualTo(new ImportTrigger(ImportTrigger.Type.SCHEDULE, "nightly"));
        assertThat(started).as("only the queue's first job has an execution").containsExactly("nightly-s-20261123-0100");
    }

    @Test
    void aDisabledOrDeletedSourcesScheduleStartsNothingButARunByHandDoes() {
        create("nightly", SourceSchedule.of("rate(1 hour)", null));
        services.sources.update("nightly", new Changes(null, null, null, null, false, false, null, false, null));
        assertThat(scheduleCalls).containsExactly("put nightly rate(1 hour)", "put nightly rate(1 hour) disabled");
        var skipped = services.sources.runScheduled("nightly", T0);
        assertThat(skipped.job()).isNull();
        assertThat(skipped.skipped()).isEqualTo("the data source is disabled");

        ImportJob manual = services.sources.run("nightly", new ImportTrigger(ImportTrigger.Type.DATA_SOURCE_RUN, "nightly"));
        assertThat(manual.name()).matches("nightly-r-20261123-100000-[0-9a-f]{4}");
        assertThat(manual.dataLocation()).isEqualTo("s3://data/users/");
        assertThat(started).containsExactly(manual.name());

        services.sources.delete("nightly");
        assertThat(scheduleCalls).endsWith("delete nightly");
        assertThat(services.sources.runScheduled("nightly", T0).skipped()).isEqualTo("the data source does not exist");
    }

    @Test
    void aScheduledRunWhoseImportIsRefusedIsSkippedWithTheReason() {
        create("gone", SourceSchedule.of("rate(1 hour)", null));
        services.datasets.delete("users");
        var run = services.sources.runScheduled("gone", T0);
        assertThat(run.job()).isNull();
        assertThat(run.skipped()).isEqualTo("Dataset 'users' is being deleted");
    }
}
