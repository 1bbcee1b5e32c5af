package dev.intake.core.stats;

/**
 * The values one field's distinct-value sketch was given lately, so that a value seen again is not
 * hashed into the sketch a second time. An HLL sketch given a value it has already been given does
 * not change at all (its registers, coupon list or set, and HIP estimate stay as they are), so
 * skipping that update leaves exactly the sketch that making it would: this only saves work.
 *
 * <p>Direct-mapped (a slot per value, the newest wins) and compared by equality, never by a hash
 * alone. A field whose values hardly repeat (keys, timestamps) gains nothing from it, so a field
 * that hits in fewer than one lookup of {@link #MIN_HIT_SHARE} over {@link #TRIAL} lookups stops
 * looking for {@link #PAUSE} values, then tries again (files are often sorted by something).
 */
final class RecentValues {
    /** Strings longer than this are not kept (the slots would hold on to them). */
    static final int MAX_STRING = 64;
    static final int TRIAL = 4096;
    static final int MIN_HIT_SHARE = 8;
    static final int PAUSE = 1 << 16;

    /** Numbers take less room than strings: they get this many times the slots. */
    static final int NUMBER_SLOTS_PER_STRING_SLOT = 8;

    private final int stringMask;
    private final int numberMask;
    // made when first used: a timestamp field has both (a value that is not an instant is a string)
    private long[] numbers;
    private boolean[] filled;
    private String[] strings;
    private int lookups;
    private int hits;
    private int paused;

    /** @param slots a power of two */
    RecentValues(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.stringMask = slots - 1;
        this.numberMask = slots * NUMBER_SLOTS_PER_STRING_SLOT - 1;
    }

    /**
     * String slots per field: up to 512, fewer for wide schemas, so that a collector's slots stay
     * around 16,384 whatever the number of fields (at least 16 each); numbers get eight times as many.
     */
    static int slotsFor(int fieldCount) {
        int slots = 512;
        while (slots > 16 && (long) slots * fieldCount > 16_384) {
            slots >>= 1;
        }
        return slots;
    }

    /**
     * Whether {@code value} was recorded lately; if not, records it. The caller gives the sketch
     * every value this answers false for (and only values it gives the sketch reach here).
     */
    boolean repeats(long value) {
        if (paused > 0) {
            paused--;
            return false;
        }
        if (numbers == null) {
            numbers = new long[numberMask + 1];
            filled = new boolean[numberMask + 1];
        }
        int slot = (int) ((value * 0x9E3779B97F4A7C15L) >>> 40) & numberMask;
        if (filled[slot] && numbers[slot] == value) {
            return judge(true);
        }
        numbers[slot] = value;
        filled[slot] = true;
        return judge(false);
    }

    /** As {@link #repeats(long)}, for a string: compared by {@link String#equals}. */
    boolean repeats(String value) {
        if (paused > 0) {
            paused--;
            return false;
        }
        int n = value.length();
        if (n > MAX_STRING) {
            return judge(false);
        }
        if (strings == null) {
            strings = new String[stringMask + 1];
        }
        int slot = sample(value, n) & stringMask;
        String had = strings[slot];
        if (had != null && had.equals(value)) {
            return judge(true);
        }
        strings[slot] = value;
        return judge(false);
    }

    /**
     * A cheap spread of the string: its length and up to eight of its characters, from the end
     * (where values of one column tend to differ) back to the start. Equality decides a hit.
     */
    private static int sample(String s, int n) {
        int h = n;
        int step = Math.max(1, n >> 3);
        for (int i = n - 1, taken = 0; i >= 0 && taken < 8; i -= step, taken++) {
            h = 31 * h + s.charAt(i);
        }
        return (h * 0x9E3779B9) >>> 16;
    }

    private boolean judge(boolean hit) {
        if (hit) {
            hits++;
        }
        if (++lookups == TRIAL) {
            if (hits < TRIAL / MIN_HIT_SHARE) {
                paused = PAUSE;
            }
            lookups = 0;
            hits = 0;
        }
        return hit;
    }
}
