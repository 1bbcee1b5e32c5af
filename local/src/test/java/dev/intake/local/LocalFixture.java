package dev.intake.local;

import dev.intake.app.Services;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;

/** The embedded store (in memory) and S3Proxy in this JVM, with Intake's buckets. */
final class LocalFixture implements AutoCloseable {
    static final String DATA_BUCKET = "data";
    static final String RESULTS_BUCKET = "results";
    /** The fixture's data bucket, and a bucket that does not exist (to see a job fail on it, not be refused). */
    static final ImportAccess ACCESS = ImportAccess.parse("s3://" + DATA_BUCKET + "/,s3://no-such-bucket/", "");

    final SqliteDatabase database = SqliteDatabase.inMemory();
    final Storage storage = SqliteStorage.of(database);
    final EmbeddedS3 s3;
    final List<String> started = new ArrayList<>();

    LocalFixture() throws Exception {
        s3 = EmbeddedS3.inMemory(0, Duration.ZERO); // no request is in flight when a test closes it
        s3.createBucket(DATA_BUCKET);
        s3.createBucket(RESULTS_BUCKET);
    }

    /** Services whose workflow starts are only recorded: tests drive the workflow steps themselves. */
    Services services(long chunkBytes) {
        WorkflowStarter recorder = WorkflowStarter.manual(started::add);
        return services(recorder, chunkBytes);
    }

    Services services(WorkflowStarter starter, long chunkBytes) {
        return LocalRuntime.services(storage, s3.client(), starter, new EngineSettings(RESULTS_BUCKET, chunkBytes, ACCESS));
    }

    void put(String key, String content) {
        s3.client().putObject(r -> r.bucket(DATA_BUCKET).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    void put(String key, byte[] content) {
        s3.client().putObject(r -> r.bucket(DATA_BUCKET).key(key), RequestBody.fromBytes(content));
    }

    String read(String bucket, String key) {
        return s3.client().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    @Override
    public void close() throws Exception {
        s3.close();
        database.close();
    }
}
