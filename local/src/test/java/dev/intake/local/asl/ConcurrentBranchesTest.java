package dev.intake.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentBranchesTest {
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFailureWhileOtherWorkersAreStillQueuedEndsTheWait() throws Exception {
        // One thread: the second worker is still queued when the first fails and cancels it, so it
        // never runs; the wait for all workers must end anyway (it used to hang here).
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> ConcurrentBranches.run(oneThread, 5, 2, Scope.root(), (index, scope) -> {
                throw new StateFailure("Boom", "iteration " + index);
            })).isInstanceOf(StateFailure.class);
            assertThat(ConcurrentBranches.run(oneThread, 3, 2, Scope.root(), (index, scope) -> IntNode.valueOf(index)))
                    .as("the pool is still usable").containsExactly(IntNode.valueOf(0), IntNode.valueOf(1), IntNode.valueOf(2));
        } finally {
            oneThread.shutdownNow();
        }
    }
}
