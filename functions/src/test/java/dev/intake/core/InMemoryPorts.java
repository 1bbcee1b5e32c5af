package dev.intake.core;

import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.ports.StoredRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Map-backed stand-ins for the storage ports, for unit tests of the core: they keep the ports'
 * semantics (conditional writes, independent keys) and count what is asked of them. The real
 * adapters pass the contract suite in the local module.
 */
final class InMemoryPorts {
    private InMemoryPorts() {
    }

    static final class Records implements RecordStore {
        private record Stored(String data, StoredRecord state) {
        }

        private final Map<String, Stored> items = new HashMap<>();
        final List<RecordWrite> writes = new ArrayList<>();
        /** The size of every write call's batch, in order. */
        final List<Integer> batches = new ArrayList<>();

        private static String id(String dataset, String generation, String key) {
            return dataset + "\u0000" + generation + "\u0000" + key;
        }

        @Override
        public int maxBatch() {
            return 100;
        }

        @Override
        public synchronized Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys) {
            requireBatchOf(keys.size());
            Map<String, StoredRecord> found = new HashMap<>();
            for (String key : keys) {
                Stored s = items.get(id(dataset, generation, key));
                if (s != null) {
                    found.put(key, s.state());
                }
            }
            return found;
        }

        @Override
        public synchronized Set<String> write(String dataset, String generation, String job, List<RecordWrite> batch) {
            batches.add(batch.size());
            Set<String> changed = new TreeSet<>();
            for (RecordWrite w : batch) {
                Stored current = items.get(id(dataset, generation, w.key()));
                boolean applies = w.expected() == null ? current == null
                        : current != null && current.state().job().equals(w.expected().job())
                        && current.state().seq() == w.expected().seq();
                if (!applies) {
                    changed.add(w.key());
                    continue;
                }
                writes.add(w);
                items.put(id(dataset, generation, w.key()), new Stored(w.canonical(),
                        new StoredRecord(w.key(), w.hash(), job, w.seq(), w.base(), w.history())));
            }
            return changed;
        }

        @Override
        public synchronized Optional<String> get(String dataset, String generation, String key) {
            return Optional.ofNullable(items.get(id(dataset, generation, key))).map(Stored::data);
        }

        @Override
        public synchronized boolean deleteSome(String dataset, String generation, int max) {
            var keys = items.keySet().stream().filter(k -> k.startsWith(dataset + "\u0000" + generation + "\u0000"))
                    .limit(max).toList();
            keys.forEach(items::remove);
            return keys.size() < max;
        }

        @Override
        public synchronized dev.intake.core.ports.Page<dev.intake.core.ports.RecordEntry> list(String dataset,
                String generation, String cursor, int max) {
            String prefix = dataset + "\u0000" + generation + "\u0000";
            var page = items.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .map(e -> new dev.intake.core.ports.RecordEntry(e.getKey().substring(prefix.length()), e.getValue().data()))
                    .filter(r -> cursor == null || r.key().compareTo(cursor) > 0)
                    .sorted(java.util.Comparator.comparing(dev.intake.core.ports.RecordEntry::key)).limit(max).toList();
            return new dev.intake.core.ports.Page<>(page, page.size() < max ? null : page.get(page.size() - 1).key());
        }

        synchronized StoredRecord state(String dataset, String generation, String key) {
            Stored s = items.get(id(dataset, generation, key));
            return s == null ? null : s.state();
        }
    }

    static final class Objects implements ObjectStore {
        private final Map<String, byte[]> objects = new TreeMap<>();
        /** Every ranged read: key, start, end. */
        final List<String> opened = new ArrayList<>();

        void put(String bucket, String key, String text) {
            objects.put(bucket + "/" + key, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public List<StoredObject> list(String bucket, String prefix) {
            List<StoredObject> found = new ArrayList<>();
            objects.forEach((k, v) -> {
                if (k.startsWith(bucket + "/" + prefix)) {
                    found.add(new StoredObject(bucket, k.substring(bucket.length() + 1), v.length, "etag"));
                }
            });
            return found;
        }

        @Override
        public Optional<StoredObject> head(String bucket, String key) {
            byte[] body = objects.get(bucket + "/" + key);
            return body == null ? Optional.empty() : Optional.of(new StoredObject(bucket, key, body.length, "etag"));
        }

        @Override
        public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
            byte[] body = objects.get(bucket + "/" + key);
            opened.add(key + ":" + start + "-" + endExclusive);
            return new ByteArrayInputStream(Arrays.copyOfRange(body, (int) start, (int) Math.min(endExclusive, body.length)));
        }

        @Override
        public InputStream read(String bucket, String key) {
            return new ByteArrayInputStream(objects.get(bucket + "/" + key));
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType) {
            objects.put(bucket + "/" + key, body);
        }

        @Override
        public void deleteAll(String bucket, String prefix) {
            objects.keySet().removeIf(k -> k.startsWith(bucket + "/" + prefix));
        }
    }
}
