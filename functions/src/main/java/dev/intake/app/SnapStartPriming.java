package dev.intake.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's checkpoint hook: before Lambda snapshots an initialised function (CRaC's
 * {@code beforeCheckpoint}, when a version is published), it runs the paths the first request will
 * take — each SDK client's request path, Jackson, the handler's own — so that the snapshot holds
 * their classes loaded and initialised, and the first request after a restore does not pay for it.
 * Registered once per process by the Lambda wiring ({@link Services#fromEnvironment()}), which
 * every handler's no-arg constructor goes through; the handler bases add their own primer. Outside
 * Lambda (the local runtime, tests) nothing registers, and primers added are dropped.
 *
 * <p>A primer that fails is logged and skipped: priming only saves time, it never fails the
 * checkpoint (and so the deployment).
 */
public final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    /** The process's hook. CRaC holds resources weakly: this strong reference keeps it registered. */
    private static volatile SnapStartPriming current;

    private final Map<String, Runnable> primers = new LinkedHashMap<>();

    SnapStartPriming() {
    }

    /** Makes the process's hook and registers it with the checkpoint context (CRaC's global one in Lambda). */
    public static synchronized SnapStartPriming register(Context<Resource> context) {
        SnapStartPriming priming = new SnapStartPriming();
        context.register(priming);
        current = priming;
        return priming;
    }

    /** The process's hook, if the Lambda wiring registered one. */
    public static Optional<SnapStartPriming> current() {
        return Optional.ofNullable(current);
    }

    /** Adds a primer to the process's hook, if there is one (else: not in Lambda, nothing to prime). */
    public static void addToCurrent(String name, Runnable primer) {
        current().ifPresent(priming -> priming.add(name, primer));
    }

    /** A primer by name; a second one of the same name is ignored. */
    public synchronized SnapStartPriming add(String name, Runnable primer) {
        primers.putIfAbsent(name, primer);
        return this;
    }

    public synchronized List<String> primerNames() {
        return List.copyOf(primers.keySet());
    }

    /**
     * Runs every primer, in the order added.
     *
     * @return the names of those that failed (each logged with its exception)
     */
    public List<String> prime() {
        Map<String, Runnable> toRun;
        synchronized (this) {
            toRun = new LinkedHashMap<>(primers);
        }
        List<String> failed = new ArrayList<>();
        toRun.forEach((name, primer) -> {
            long start = System.nanoTime();
            try {
                primer.run();
                LOG.info("SnapStart priming: {} in {} ms", name, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException | LinkageError e) {
                failed.add(name);
                LOG.warn("SnapStart priming: {} failed; the first request after a restore does it instead", name, e);
            }
        });
        return failed;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: a connection the priming kept alive may be dead after a restore, and the
        // SDK retries a request whose connection fails; credentials are refreshed as they expire.
    }
}
