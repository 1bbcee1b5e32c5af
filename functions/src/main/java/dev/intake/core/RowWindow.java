package dev.intake.core;

import dev.intake.core.schema.ValidRecord;
import java.util.Arrays;

/**
 * The rows of a chunk's de-duplication window, one per key: a key's later row replaces its earlier
 * one and takes the last place, so the rows come out in the order of each key's latest row.
 *
 * <p>Kept in parallel arrays (a slot per row added, in order; a replaced row's slot is left empty)
 * with an open-addressing index from key to slot, so that a row costs no object of its own: a map
 * entry and a row object per row, and a removal and insertion per repeat, were a tenth of a chunk's
 * per-row work. Empty slots are squeezed out when the arrays fill up.
 */
final class RowWindow {
    private static final int INITIAL_SLOTS = 256;

    private ValidRecord[] records = new ValidRecord[INITIAL_SLOTS];
    private long[] seqs = new long[INITIAL_SLOTS];
    private long[] lines = new long[INITIAL_SLOTS];
    /** Slots used so far (rows and the empty places of replaced ones). */
    private int slots;
    /** Keys held (rows not replaced). */
    private int size;
    private long bytes;
    /** Slot + 1 of each key's row, 0 where none; at most half full. */
    private int[] index = new int[2 * INITIAL_SLOTS];
    /** Fibonacci hashing: a key's place is the top bits of its hash times the golden ratio. */
    private int shift = Integer.numberOfLeadingZeros(index.length - 1);

    int size() {
        return size;
    }

    /** What the window's rows weigh (see {@link #weight}). */
    long bytes() {
        return bytes;
    }

    /** Slots to look at in order: {@link #record} is null where a later row replaced the slot's. */
    int slots() {
        return slots;
    }

    ValidRecord record(int slot) {
        return records[slot];
    }

    long seq(int slot) {
        return seqs[slot];
    }

    long line(int slot) {
        return lines[slot];
    }

    /**
     * Adds a row as its key's latest.
     *
     * @return whether it replaced an earlier row of its key (which is no longer in the window)
     */
    boolean add(ValidRecord record, long seq, long line) {
        if (slots == records.length) {
            makeRoom();
        }
        String key = record.key();
        int mask = index.length - 1;
        int at = place(key);
        boolean replaced = false;
        for (int found; (found = index[at]) != 0; at = (at + 1) & mask) {
            int slot = found - 1;
            ValidRecord had = records[slot];
            if (had.key().equals(key)) {
                records[slot] = null;
                bytes -= weight(had);
                size--;
                replaced = true;
                break;
            }
        }
        int slot = slots++;
        records[slot] = record;
        seqs[slot] = seq;
        lines[slot] = line;
        index[at] = slot + 1;
        size++;
        bytes += weight(record);
        return replaced;
    }

    void clear() {
        Arrays.fill(records, 0, slots, null);
        Arrays.fill(index, 0);
        slots = 0;
        size = 0;
        bytes = 0;
    }

    /** What a row weighs against the window's byte limit: its canonical JSON and its key (UTF-16). */
    static long weight(ValidRecord r) {
        return r.bytes() + 2L * r.key().length();
    }

    /** Squeezes out the empty slots if they are at least half, else doubles the arrays; then re-indexes. */
    private void makeRoom() {
        if (size <= slots / 2) {
            int kept = 0;
            for (int i = 0; i < slots; i++) {
                if (records[i] != null) {
                    records[kept] = records[i];
                    seqs[kept] = seqs[i];
                    lines[kept] = lines[i];
                    kept++;
                }
            }
            Arrays.fill(records, kept, slots, null);
            slots = kept;
        } else {
            int capacity = records.length * 2;
            records = Arrays.copyOf(records, capacity);
            seqs = Arrays.copyOf(seqs, capacity);
            lines = Arrays.copyOf(lines, capacity);
            index = new int[2 * capacity];
            shift = Integer.numberOfLeadingZeros(index.length - 1);
        }
        Arrays.fill(index, 0);
        int mask = index.length - 1;
        for (int slot = 0; slot < slots; slot++) {
            if (records[slot] == null) {
                continue; // a replaced row's
            }
            int at = place(records[slot].key());
            while (index[at] != 0) {
                at = (at + 1) & mask;
            }
            index[at] = slot + 1;
        }
    }

    private int place(String key) {
        return (key.hashCode() * 0x9E3779B9) >>> shift;
    }
}
