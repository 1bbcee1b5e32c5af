package dev.intake.local;

import dev.intake.core.DataSource;
import dev.intake.core.SourceSchedule;
import dev.intake.core.ports.SourceSchedules;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data sources' schedules in one process, on its clock: each {@link #tick()} runs the schedules
 * that are due (in {@code intake local} a background thread ticks every second; tests move a
 * virtual clock and tick). Next times come from the same {@link dev.intake.core.ScheduleExpression}
 * as Scheduler's are checked with, in the schedule's time zone.
 *
 * <p>Only times while the process runs fire, as in Scheduler, which never catches up either: a
 * schedule that was due while the local server was down (or the machine asleep) fires once at most,
 * for the latest time it missed, and then goes on at its next time. A rate counts from when the
 * schedule was put (created, changed, or loaded when the server started) or last fired.
 */
public final class LocalSourceSchedules implements SourceSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSourceSchedules.class);

    /** One source's schedule; {@code next} is null when it is disabled or will not fire again. */
    private record Entry(SourceSchedule schedule, boolean enabled, Instant next) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new TreeMap<>();
    private volatile BiConsumer<String, Instant> runner = (name, time) -> {
        throw new IllegalStateException("the local scheduler is not connected to the scheduled-run task yet");
    };

    public LocalSourceSchedules(Clock clock) {
        this.clock = clock;
    }

    /** What a firing schedule runs: the source's name and the time it was due (RunScheduledSource's input). */
    public void connect(BiConsumer<String, Instant> runner) {
        this.runner = runner;
    }

    @Override
    public synchronized void put(DataSource source) {
        if (source.schedule() == null) {
            entries.remove(source.name());
            return;
        }
        Instant next = source.enabled() ? next(source.schedule(), clock.instant()) : null;
        entries.put(source.name(), new Entry(source.schedule(), source.enabled(), next));
    }

    @Override
    public synchronized void delete(String sourceName) {
        entries.remove(sourceName);
    }

    /** When the source's schedule fires next; null if it has none, is disabled, or will not fire again. */
    public synchronized Instant nextRun(String sourceName) {
        Entry entry = entries.get(sourceName);
        return entry == null ? null : entry.next();
    }

    /**
     * Runs every schedule due by now, once each, in name order; returns how many ran. A run that fails
     * is logged and does not stop the others (Scheduler would retry; a scheduled run refused for good
     * is logged by the run itself).
     */
    public int tick() {
        Instant now = clock.instant();
        List<Map.Entry<String, Instant>> due = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry entry = e.getValue();
                if (entry.next() == null || entry.next().isAfter(now)) {
                    continue;
                }
                Instant fire = entry.next();
                Instant after = next(entry.schedule(), fire);
                int missed = 0;
                while (after != null && !after.isAfter(now)) {
                    missed++;
                    fire = after;
                    after = next(entry.schedule(), fire);
                }
                if (missed > 0) {
                    LOG.info("schedule of data source {} missed {} time(s) before {} (not caught up)", e.getKey(), missed,
                            fire);
                }
                e.setValue(new Entry(entry.schedule(), entry.enabled(), after));
                due.add(Map.entry(e.getKey(), fire));
            }
        }
        for (Map.Entry<String, Instant> run : due) {
            try {
                runner.accept(run.getKey(), run.getValue());
            } catch (RuntimeException e) {
                LOG.error("scheduled run of data source {} due at {} failed", run.getKey(), run.getValue(), e);
            }
        }
        return due.size();
    }

    private static Instant next(SourceSchedule schedule, Instant after) {
        return schedule.expression().nextAfter(after, schedule.timeZone()).orElse(null);
    }
}
