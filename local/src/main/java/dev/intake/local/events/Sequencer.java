package dev.intake.local.events;

import java.time.Clock;

/**
 * S3's {@code sequencer} for one local S3 store: a hex string that is greater for a later write of
 * the same key (here: of any key), compared as S3 documents it (the shorter right-padded with zeros,
 * then lexicographically). It is the clock's milliseconds (12 hex digits) and a counter within the
 * millisecond (6 hex digits), so it keeps increasing across a restart too, as long as the clock does;
 * within one process it never goes back, even if the clock does.
 */
public final class Sequencer {
    private static final long COUNTER_LIMIT = 1L << 24;

    private final Clock clock;
    private long millis;
    private long counter;

    public Sequencer(Clock clock) {
        this.clock = clock;
    }

    public synchronized String next() {
        long now = clock.millis();
        if (now > millis) {
            millis = now;
            counter = 0;
        } else if (++counter == COUNTER_LIMIT) {
            millis++;
            counter = 0;
        }
        return String.format("%012X%06X", millis, counter);
    }

    /** S3's rule: right-pad the shorter with zeros, then compare the strings. */
    public static int compare(String a, String b) {
        int length = Math.max(a.length(), b.length());
        return pad(a, length).compareTo(pad(b, length));
    }

    private static String pad(String s, int length) {
        return s + "0".repeat(length - s.length());
    }
}
