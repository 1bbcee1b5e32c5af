package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the iterations of a Map state or the branches of a Parallel state, each in its own child scope,
 * with at most {@code maxConcurrency} running at once. Results keep the input order. The first failure
 * cancels the others (as in Step Functions, where a failed iteration or branch stops them all) and,
 * once they have stopped, is rethrown.
 */
final class ConcurrentBranches {
    @FunctionalInterface
    interface Branch {
        JsonNode run(int index, Scope scope) throws StateFailure;
    }

    private ConcurrentBranches() {
    }

    static List<JsonNode> run(ExecutorService pool, int count, int maxConcurrency, Scope parent, Branch branch)
            throws StateFailure {
        JsonNode[] results = new JsonNode[count];
        List<Scope> scopes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scopes.add(parent.child());
        }
        AtomicInteger nextIndex = new AtomicInteger();
        AtomicReference<StateFailure> firstFailure = new AtomicReference<>();
        List<Future<?>> workers = new CopyOnWriteArrayList<>();
        int workerCount = Math.min(count, maxConcurrency);
        CountDownLatch stopped = new CountDownLatch(workerCount);
        // A worker cancelled before it starts never runs its finally block: whoever claims a worker
        // first (the worker itself, or cancelAll) counts it down, so the wait below always ends.
        AtomicBoolean[] claimed = new AtomicBoolean[workerCount];
        for (int w = 0; w < workerCount; w++) {
            claimed[w] = new AtomicBoolean();
        }
        Runnable cancelAll = () -> {
            scopes.forEach(Scope::cancel);
            for (AtomicBoolean claim : claimed) {
                if (claim.compareAndSet(false, true)) {
                    stopped.countDown();
                }
            }
            workers.forEach(worker -> worker.cancel(true)); // interrupts sleeps and timed waits
        };
        for (int w = 0; w < workerCount; w++) {
            AtomicBoolean claim = claimed[w];
            Future<?> worker = pool.submit(() -> {
                if (!claim.compareAndSet(false, true)) {
                    return; // cancelled before it started, and already counted
                }
                try {
                    for (int i = nextIndex.getAndIncrement(); i < count && firstFailure.get() == null;
                         i = nextIndex.getAndIncrement()) {
                        results[i] = branch.run(i, scopes.get(i));
                    }
                } catch (StateFailure failure) {
                    if (firstFailure.compareAndSet(null, failure)) {
                        cancelAll.run();
                    }
                } catch (ExecutionCancelledException cancelled) {
                    // cancelled because of another branch's failure or a stopped execution
                } catch (Throwable unexpected) {
                    if (firstFailure.compareAndSet(null, new StateFailure(ErrorNames.RUNTIME,
                            "Internal error in the local executor: " + unexpected))) {
                        cancelAll.run();
                    }
                } finally {
                    stopped.countDown();
                }
            });
            workers.add(worker);
            // A worker that started, took a branch and failed may have cancelled the others before
            // this one was in the list: cancel it here, or its branch would run (or wait) on.
            if (firstFailure.get() != null) {
                worker.cancel(true);
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            cancelAll.run();
            throw new ExecutionCancelledException();
        }
        if (firstFailure.get() != null) {
            throw firstFailure.get();
        }
        if (parent.isCancelled()) {
            throw new ExecutionCancelledException();
        }
        return Arrays.asList(results);
    }
}
