package dev.intake.local;

import dev.intake.local.events.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.adapters.s3.S3ObjectStore;
import dev.intake.app.Deployment;
import dev.intake.app.Services;
import dev.intake.core.ArrivalSettings;
import dev.intake.core.ChunkTask;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportFailedException;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportTrigger;
import dev.intake.core.ImportWorkflow.Turn;
import dev.intake.core.JobStatus;
import dev.intake.core.ObjectArrival;
import dev.intake.core.ObjectArrivals.Outcome;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Objects arriving in the landing bucket (here the fixture's data bucket) become imports: one
 * INCREMENTAL job per dataset and window that imports exactly the versions that arrived. The
 * workflow steps are driven by hand, on a clock the test moves.
 */
class ObjectArrivalsTest {
    private static final String SCHEMA = """
            {"type":"record","name":"Items","fields":[{"name":"ID","type":"string"},{"name":"NAME","type":"string"}]}""";
    private static final Duration WINDOW = Duration.ofSeconds(5);

    private LocalFixture aws;
    private Services services;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));
    private long sequencer = 0x5F00_0000_0000_0000L;
    private int counter;

    @BeforeEach
    void start() throws Exception {
        aws = new LocalFixture();
        services = services(500);
    }

    private Services services(int maxObjects) {
        return services(maxObjects, LocalFixture.ACCESS);
    }

    private Services services(int maxObjects, dev.intake.core.ImportAccess access) {
        EngineSettings settings = new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, access)
                .withArrivals(new ArrivalSettings(LocalFixture.DATA_BUCKET, WINDOW, maxObjects));
        return new Services(aws.storage, ObjectStores.single(new S3ObjectStore(aws.s3.client())),
                dev.intake.core.ports.WorkflowStarter.manual(aws.started::add), dev.intake.core.ports.WorkflowStarter
                .manual(dataset -> { }), ImportMetrics.NONE, settings, Deployment.LOCAL, clock, new LocalSourceSchedules(clock));
    }

    @AfterEach
    void stop() throws Exception {
        aws.close();
    }

    private String dataset() {
        String name = "items" + (++counter);
        services.datasets.create(name, SCHEMA, List.of("ID"));
        return name;
    }

    /** Writes an object and returns the notification S3 would send for it. */
    private ObjectArrival upload(String key, String csv) {
        var put = aws.s3.client().putObject(r -> r.bucket(LocalFixture.DATA_BUCKET).key(key),
                RequestBody.fromString(csv, StandardCharsets.UTF_8));
        return new ObjectArrival(LocalFixture.DATA_BUCKET, key, csv.getBytes(StandardCharsets.UTF_8).length, put.eTag(),
                null, Long.toHexString(++sequencer).toUpperCase());
    }

    private static String rows(String... ids) {
        StringBuilder csv = new StringBuilder("ID,NAME\n");
        for (String id : ids) {
            csv.append(id).append(",name of ").append(id).append('\n');
        }
        return csv.toString();
    }

    /** The workflow of a job whose window has passed: Start, Plan, Ingest, Finish. */
    private ImportJob run(String job) {
        assertThat(services.workflow.begin(job)).isEqualTo(Turn.GO);
        List<ChunkTask> chunks = services.workflow.plan(job);
        chunks.forEach(c -> services.workflow.ingest(job, c));
        List<Integer> recount = services.workflow.reconcile(job, chunks.size());
        chunks.stream().filter(c -> recount.contains(c.index())).forEach(c -> services.workflow.ingest(job, c, 2));
        return services.workflow.finish(job, chunks.size(), recount);
    }

    @Test
    void uploadsWithinTheWindowBecomeOneIncrementalJobThatImportsExactlyThoseObjects() {
        String ds = dataset();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(services.arrivals.arrived(upload(ds + "/day/part-" + i + ".csv", rows("a" + i, "b" + i))));
            clock.advance(Duration.ofMillis(500));
        }
        // in the folder, but never notified: not part of the batch
        aws.put(ds + "/day/unannounced.csv", rows("zz"));
        String job = outcomes.get(0).jobName();
        assertThat(outcomes.get(0).kind()).isEqualTo(Outcome.Kind.OPENED);
        assertThat(outcomes.subList(1, 5)).allSatisfy(o -> {
            assertThat(o.kind()).isEqualTo(Outcome.Kind.JOINED);
            assertThat(o.jobName()).isEqualTo(job);
        });
        assertThat(aws.started).containsExactly(job); // its execution starts at once, and waits
        ImportJob created = services.jobs.describe(job);
        assertThat(created.mode()).isEqualTo(ImportMode.INCREMENTAL); // even on a dataset never FULL-imported
        assertThat(created.trigger()).isEqualTo(new ImportTrigger(ImportTrigger.Type.S3_EVENT, null));
        assertThat(created.dataLocation()).isEqualTo("s3://data/" + ds + "/");

        assertThat(services.workflow.begin(job)).isEqualTo(Turn.COLLECT);
        assertThat(services.workflow.collectingUntil(job)).contains(Instant.parse("2026-11-29T08:00:05Z"));
        assertThat(services.jobs.describe(job).status()).isEqualTo(JobStatus.PENDING);
        clock.advance(Duration.ofSeconds(3));
        ImportJob done = run(job);
        assertThat(done.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(done.statistics().added()).isEqualTo(10);
        assertThat(done.statistics().filesTotal()).isEqualTo(5);
        assertThat(services.datasets.record(ds, Map.of("ID", "zz"))).isEmpty();

        // the batch closed when its job started: the next upload opens another
        Outcome later = services.arrivals.arrived(upload(ds + "/day/part-9.csv", rows("c9")));
        assertThat(later.kind()).isEqualTo(Outcome.Kind.OPENED);
        assertThat(later.jobName()).isNotEqualTo(job);
    }

    @Test
    void redeliveredAndOlderNotificationsStartNothingAndAnOverwrittenObjectIsImportedAgain() {
        String ds = dataset();
        ObjectArrival first = upload(ds + "/items.csv", rows("a", "b"));
        String job = services.arrivals.arrived(first).jobName();
        assertThat(services.arrivals.arrived(first).kind()).isEqualTo(Outcome.Kind.DUPLICATE);
        clock.advance(WINDOW);
        run(job);
        int started = aws.started.size();
        assertThat(services.arrivals.arrived(first).kind()).isEqualTo(Outcome.Kind.DUPLICATE);
        assertThat(services.datasets.describe(ds).activeJobs()).isZero();

        ObjectArrival rewritten = upload(ds + "/items.csv", "ID,NAME\na,renamed\n");
        // a late copy of an older notification of the key, after the newer one: still a duplicate
        ObjectArrival stale = new ObjectArrival(first.bucket(), first.key(), first.size(), first.etag(), null, "5E");
        Outcome again = services.arrivals.arrived(rewritten);
        assertThat(again.kind()).isEqualTo(Outcome.Kind.OPENED);
        assertThat(services.arrivals.arrived(stale).kind()).isEqualTo(Outcome.Kind.DUPLICATE);
        assertThat(aws.started).hasSize(started + 1);
        clock.advance(WINDOW);
        ImportJob done = run(again.jobName());
        assertThat(done.statistics().updated()).isEqualTo(1);
        assertThat(services.datasets.record(ds, Map.of("ID", "a")).orElseThrow()).contains("renamed");
    }

    @Test
    void aVersionReplacedBeforeItsBatchRunsIsNotReadItsReplacementArrivesInTheNextBatch() {
        String ds = dataset();
        String first = services.arrivals.arrived(upload(ds + "/a.csv", rows("a1"))).jobName();
        services.arrivals.arrived(upload(ds + "/b.csv", rows("b1")));
        clock.advance(WINDOW);
        assertThat(services.workflow.collectingUntil(first)).isEmpty(); // the window passed: closed
        Outcome replacement = services.arrivals.arrived(upload(ds + "/a.csv", rows("a2")));
        assertThat(replacement.kind()).isEqualTo(Outcome.Kind.OPENED);

        ImportJob done = run(first);
        assertThat(done.statistics().filesTotal()).isEqualTo(2);
        assertThat(done.statistics().filesDiscarded()).isEqualTo(1); // a.csv's version that arrived is gone
        assertThat(done.statistics().added()).isEqualTo(1);
        assertThat(services.datasets.record(ds, Map.of("ID", "a1"))).isEmpty();
        clock.advance(WINDOW);
        assertThat(run(replacement.jobName()).statistics().added()).isEqualTo(1);
        assertThat(services.datasets.record(ds, Map.of("ID", "a2"))).isPresent();
    }

    @Test
    void aBatchWhoseEveryVersionWasReplacedFailsSayingSo() {
        String ds = dataset();
        String job = services.arrivals.arrived(upload(ds + "/a.csv", rows("a1"))).jobName();
        clock.advance(WINDOW);
        services.workflow.begin(job);
        aws.put(ds + "/a.csv", rows("a2"));
        assertThatThrownBy(() -> services.workflow.plan(job)).isInstanceOf(ImportFailedException.class)
                .hasMessage("Every object of this arrival batch (1) was replaced or deleted after it arrived; "
                        + "replacements are imported by the batch they arrived in");
    }

    @Test
    void whileAnImportOfTheDatasetRunsArrivalsGatherInTheNextBatchWhichWaitsItsTurn() {
        String ds = dataset();
        String running = services.arrivals.arrived(upload(ds + "/1.csv", rows("a"))).jobName();
        clock.advance(WINDOW);
        assertThat(services.workflow.begin(running)).isEqualTo(Turn.GO);
        String next = services.arrivals.arrived(upload(ds + "/2.csv", rows("b"))).jobName();
        clock.advance(Duration.ofMinutes(1));
        assertThat(services.arrivals.arrived(upload(ds + "/3.csv", rows("c"))).jobName()).isEqualTo(next);
        assertThat(services.workflow.begin(next)).isEqualTo(Turn.WAIT);
        // still its dataset's open batch: it collects until its turn comes
        assertThat(services.arrivals.arrived(upload(ds + "/4.csv", rows("d"))).jobName()).isEqualTo(next);
    }

    @Test
    void aBatchWhoseJobEndedWhileCollectingTakesNoMoreArrivals() {
        String ds = dataset();
        String stopped = services.arrivals.arrived(upload(ds + "/1.csv", rows("a"))).jobName();
        services.workflow.fail(stopped, "The import's workflow was stopped"); // as when its execution is stopped
        Outcome next = services.arrivals.arrived(upload(ds + "/2.csv", rows("b")));
        assertThat(next.kind()).isEqualTo(Outcome.Kind.OPENED);
        assertThat(next.jobName()).isNotEqualTo(stopped);
        clock.advance(WINDOW);
        assertThat(run(next.jobName()).statistics().added()).isEqualTo(1);
    }

    @Test
    void objectsInADataSourcesFolderFeedItsDatasetInBatchesOfTheirOwnAndADisabledSourceIgnoresThem() {
        String ds = dataset();
        services.sources.create(new dev.intake.core.DataSourceService.NewDataSource("exports", "s3://data/exports/",
                ds, ImportMode.INCREMENTAL, null, true, null, 25.0, Map.of()));
        services.sources.create(new dev.intake.core.DataSourceService.NewDataSource("exports-eu", "s3://data/exports/eu/",
                ds, ImportMode.INCREMENTAL, null, false, null, null, Map.of()));
        Outcome bySource = services.arrivals.arrived(upload("exports/2026/a.csv", rows("x")));
        assertThat(bySource.kind()).isEqualTo(Outcome.Kind.OPENED);
        ImportJob job = services.jobs.describe(bySource.jobName());
        assertThat(job.trigger()).isEqualTo(new ImportTrigger(ImportTrigger.Type.S3_EVENT, "exports"));
        assertThat(job.datasetName()).isEqualTo(ds);
        assertThat(job.dataLocation()).isEqualTo("s3://data/exports/");
        assertThat(job.maxFailedRowsPercent()).isEqualTo(25.0);
        // the same dataset's own folder is another batch (another trigger), queued behind this one
        clock.advance(Duration.ofSeconds(1));
        Outcome byFolder = services.arrivals.arrived(upload(ds + "/b.csv", rows("y")));
        assertThat(byFolder.kind()).isEqualTo(Outcome.Kind.OPENED);
        assertThat(byFolder.jobName()).isNotEqualTo(bySource.jobName());
        // the longest folder wins: exports/eu/ is the disabled source's
        Outcome disabled = services.arrivals.arrived(upload("exports/eu/c.csv", rows("z")));
        assertThat(disabled.kind()).isEqualTo(Outcome.Kind.IGNORED);
        assertThat(disabled.reason()).isEqualTo("data source 'exports-eu' is disabled");

        clock.advance(WINDOW);
        assertThat(run(bySource.jobName()).statistics().added()).isEqualTo(1);
        assertThat(run(byFolder.jobName()).statistics().added()).isEqualTo(1);
    }

    @Test
    void aFullBatchClosesAndTheNextArrivalOpensAnother() {
        services = services(2);
        String ds = dataset();
        String a = services.arrivals.arrived(upload(ds + "/1.csv", rows("a"))).jobName();
        assertThat(services.arrivals.arrived(upload(ds + "/2.csv", rows("b"))).jobName()).isEqualTo(a);
        Outcome third = services.arrivals.arrived(upload(ds + "/3.csv", rows("c")));
        assertThat(third.kind()).isEqualTo(Outcome.Kind.OPENED);
        assertThat(third.jobName()).isNotEqualTo(a);
    }

    @Test
    void aParquetFileArrivingIsImportedByItsBatch() {
        String ds = dataset();
        Outcome arrived = services.arrivals.arrived(new ObjectArrival(LocalFixture.DATA_BUCKET, ds + "/part-0.parquet", 512,
                "e", null, Long.toHexString(++sequencer)));
        assertThat(arrived.kind()).isEqualTo(Outcome.Kind.OPENED);
    }

    @Test
    void objectsOfNoDatasetAndFilesThatAreNotDataAreIgnoredWithTheirReason() {
        String ds = dataset();
        assertThat(reason(ds + "/folder/", 0)).isEqualTo("folder marker");
        assertThat(reason(ds + "/_temporary/0/part.csv", 5)).startsWith("hidden or temporary name");
        assertThat(reason(ds + "/.part.csv", 5)).startsWith("hidden or temporary name");
        assertThat(reason(ds + "/items.csv.tmp", 5)).isEqualTo("temporary upload name");
        assertThat(reason(ds + "/items.csv._COPYING_", 5)).isEqualTo("temporary upload name");
        assertThat(reason(ds + "/README.txt", 5)).startsWith("not a data file");
        assertThat(reason(ds + "/part-0.parquet.gz", 5)).startsWith("not a data file"); // Parquet compresses its pages itself
        assertThat(reason(ds + "/empty.csv", 0)).isEqualTo("empty object");
        assertThat(reason("at-the-root.csv", 5)).startsWith("no dataset: s3://data/at-the-root.csv");
        assertThat(reason("no-such-dataset/items.csv", 5)).isEqualTo("dataset 'no-such-dataset' does not exist");
        Outcome otherBucket = services.arrivals.arrived(new ObjectArrival("elsewhere", ds + "/x.csv", 5, "e", null, "01"));
        assertThat(otherBucket.reason()).startsWith("no dataset: s3://elsewhere/");
        // a dataset's folder outside what this deployment's imports may read
        Outcome refused = services(500, dev.intake.core.ImportAccess.parse("s3://data/only-this/", ""))
                .arrivals.arrived(new ObjectArrival(LocalFixture.DATA_BUCKET, ds + "/x.csv", 5, "e", null, "7F"));
        assertThat(refused.kind()).isEqualTo(Outcome.Kind.IGNORED);
        assertThat(refused.reason()).startsWith("Imports of this deployment may not read s3://data/" + ds + "/");
        assertThat(aws.started).isEmpty();
        assertThat(services.datasets.describe(ds).activeJobs()).isZero();
    }

    private String reason(String key, long size) {
        Outcome outcome = services.arrivals.arrived(new ObjectArrival(LocalFixture.DATA_BUCKET, key, size, "e", null,
                Long.toHexString(++sequencer)));
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.IGNORED);
        return outcome.reason();
    }

}
