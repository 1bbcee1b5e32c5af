package dev.intake.local.asl;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;

/**
 * Tests that run definitions against scripted functions on a virtual clock, two threads; Distributed
 * Maps' ItemReaders read the objects put into {@link #objects} (s3://bucket/key to content).
 */
abstract class ScriptedExecutorTest {
    protected final AslTestKit.ScriptedFunctions functions = new AslTestKit.ScriptedFunctions();
    protected final VirtualSleeper sleeper = new VirtualSleeper();
    protected final Map<String, String> objects = new ConcurrentHashMap<>();
    protected final Executor executor = new Executor(functions, sleeper, 2, (bucket, key) -> {
        String body = objects.get("s3://" + bucket + "/" + key);
        if (body == null) {
            throw new IllegalStateException("The specified key does not exist. (Service: S3, Status Code: 404)");
        }
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    });

    @AfterEach
    void closeExecutor() {
        executor.close();
    }
}
