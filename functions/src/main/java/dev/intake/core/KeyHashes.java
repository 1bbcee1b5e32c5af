package dev.intake.core;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * 64-bit hashes of record keys, which find the keys an INCREMENTAL import must look at twice.
 *
 * <p>An unchanged row is not written (it would cost a write for nothing), so it leaves no trace a
 * later row of the same key could see. Each chunk therefore keeps the sorted hashes of the keys it
 * wrote or left unwritten; after all chunks ran, {@link #merge} finds the hashes that occur more
 * than once with at least one unwritten occurrence ("contested"), and the chunks holding such an
 * unwritten occurrence are counted again, writing the contested keys. Two distinct keys that share
 * a hash only cost such an extra write: correctness never depends on the hash being unique.
 *
 * <p>An entry is the hash with its lowest bit replaced by the "unwritten" flag.
 */
final class KeyHashes {
    private KeyHashes() {
    }

    /** FNV-1a over the key's UTF-16 code units, with MurmurHash3's 64-bit finaliser to spread the bits. */
    static long of(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h & ~1L;
    }

    static boolean unwritten(long entry) {
        return (entry & 1L) != 0;
    }

    /** The entries of one chunk, in the order its rows were decided. */
    static final class Collector {
        private long[] entries = new long[1024];
        private int size;

        void add(String key, boolean unwritten) {
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
            }
            entries[size++] = of(key) | (unwritten ? 1L : 0L);
        }

        int size() {
            return size;
        }

        /** The entries sorted, eight big-endian bytes each. */
        byte[] toSortedBytes() {
            long[] sorted = Arrays.copyOf(entries, size);
            Arrays.sort(sorted);
            ByteBuffer out = ByteBuffer.allocate(size * Long.BYTES);
            for (long entry : sorted) {
                out.putLong(entry);
            }
            return out.array();
        }
    }

    /**
     * @param hashes the contested hashes, sorted (flag bit clear)
     * @param chunks the chunks that left an occurrence of a contested hash unwritten
     */
    record Contested(long[] hashes, SortedSet<Integer> chunks) {
        boolean contains(long keyHash) {
            return Arrays.binarySearch(hashes, keyHash) >= 0;
        }

        byte[] toBytes() {
            ByteBuffer out = ByteBuffer.allocate(hashes.length * Long.BYTES);
            for (long hash : hashes) {
                out.putLong(hash);
            }
            return out.array();
        }

        static Contested read(InputStream in) throws IOException {
            long[] hashes = new long[256];
            int n = 0;
            try (DataInputStream data = new DataInputStream(new BufferedInputStream(in, 64 * 1024))) {
                while (true) {
                    long hash;
                    try {
                        hash = data.readLong();
                    } catch (EOFException end) {
                        break;
                    }
                    if (n == hashes.length) {
                        hashes = Arrays.copyOf(hashes, n * 2);
                    }
                    hashes[n++] = hash;
                }
            }
            return new Contested(Arrays.copyOf(hashes, n), new TreeSet<>());
        }
    }

    /**
     * Merges the sorted entry lists of all chunks (streaming: memory is one buffer per list plus the
     * contested hashes found).
     *
     * @param lists each chunk's sorted entries, by chunk index; the streams are closed
     */
    static Contested merge(Map<Integer, InputStream> lists) {
        record Cursor(int chunk, DataInputStream in, long entry) {
        }
        PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> Long.compare(a.entry(), b.entry()));
        long[] contested = new long[64];
        int contestedCount = 0;
        SortedSet<Integer> chunks = new TreeSet<>();
        try {
            for (var list : lists.entrySet()) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(list.getValue(), 64 * 1024));
                Long first = next(in);
                if (first == null) {
                    in.close();
                } else {
                    queue.add(new Cursor(list.getKey(), in, first));
                }
            }
            while (!queue.isEmpty()) {
                long hash = queue.peek().entry() & ~1L;
                int occurrences = 0;
                SortedSet<Integer> unwrittenIn = new TreeSet<>();
                while (!queue.isEmpty() && (queue.peek().entry() & ~1L) == hash) {
                    Cursor c = queue.poll();
                    occurrences++;
                    if (unwritten(c.entry())) {
                        unwrittenIn.add(c.chunk());
                    }
                    Long following = next(c.in());
                    if (following == null) {
                        c.in().close();
                    } else {
                        if (following < c.entry()) {
                            throw new IllegalStateException("key hashes of chunk " + c.chunk() + " are not sorted");
                        }
                        queue.add(new Cursor(c.chunk(), c.in(), following));
                    }
                }
                if (occurrences > 1 && !unwrittenIn.isEmpty()) {
                    if (contestedCount == contested.length) {
                        contested = Arrays.copyOf(contested, contestedCount * 2);
                    }
                    contested[contestedCount++] = hash;
                    chunks.addAll(unwrittenIn);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Cursor c : queue) {
                try {
                    c.in().close();
                } catch (IOException ignored) {
                    // closing what was read: nothing to do
                }
            }
        }
        return new Contested(Arrays.copyOf(contested, contestedCount), chunks);
    }

    private static Long next(DataInputStream in) throws IOException {
        try {
            return in.readLong();
        } catch (EOFException end) {
            return null;
        }
    }
}
