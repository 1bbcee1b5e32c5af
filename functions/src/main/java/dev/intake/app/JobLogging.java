package dev.intake.app;

import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Puts the job a function works on into every log line it writes meanwhile (the logging context's
 * key {@value #KEY}: a field of each JSON line in Lambda), and takes it out again after.
 */
public final class JobLogging {
    public static final String KEY = "job";

    private JobLogging() {
    }

    /** Runs the work with the job's name in the logging context of this thread; a null name adds nothing. */
    public static <T> T about(String jobName, Supplier<T> work) {
        if (jobName == null) {
            return work.get();
        }
        String outer = MDC.get(KEY);
        MDC.put(KEY, jobName);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, outer);
            }
        }
    }
}
