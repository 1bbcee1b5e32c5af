package dev.intake.local.asl;

import org.junit.jupiter.api.AfterEach;

/** Tests that run definitions against scripted functions on a virtual clock, two threads. */
abstract class ScriptedExecutorTest {
    protected final AslTestKit.ScriptedFunctions functions = new AslTestKit.ScriptedFunctions();
    protected final VirtualSleeper sleeper = new VirtualSleeper();
    protected final Executor executor = new Executor(functions, sleeper, 2);

    @AfterEach
    void closeExecutor() {
        executor.close();
    }
}
