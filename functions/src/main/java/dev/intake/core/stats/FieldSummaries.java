package dev.intake.core.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mergeable statistics of every field over some rows: what a chunk stores with its result, and
 * what the job's chunks merge into. Fields keep the schema's order.
 */
public record FieldSummaries(Map<String, FieldSummary> fields) {
    /** No rows counted, or a result stored before the engine kept statistics. */
    public static final FieldSummaries NONE = new FieldSummaries(Map.of());
    private static final int FORMAT = 1;

    public FieldSummaries {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * The statistics of all the parts' rows together; the same whatever the order of the parts
     * (up to floating-point rounding of Avg and Stddev). A field's sketches are unioned at once.
     */
    public static FieldSummaries merge(Collection<FieldSummaries> parts) {
        Map<String, List<FieldSummary>> byField = new LinkedHashMap<>();
        for (FieldSummaries part : parts) {
            part.fields.forEach((name, summary) -> byField.computeIfAbsent(name, n -> new ArrayList<>()).add(summary));
        }
        Map<String, FieldSummary> merged = new LinkedHashMap<>();
        byField.forEach((name, summaries) -> {
            byte[] sketch = FieldSummary.union(summaries.stream().map(FieldSummary::sketch).toList());
            FieldSummary all = summaries.get(0);
            for (FieldSummary s : summaries.subList(1, summaries.size())) {
                all = all.combine(s, sketch);
            }
            merged.put(name, all.combine(empty(all.kind()), sketch));
        });
        return new FieldSummaries(merged);
    }

    private static FieldSummary empty(FieldKind kind) {
        return new FieldSummary(kind, 0, 0, 0, 0, 0, null, null, new byte[0]);
    }

    /** The figures each field reports, in schema order. */
    public Map<String, FieldStatistics> statistics() {
        Map<String, FieldStatistics> out = new LinkedHashMap<>();
        fields.forEach((name, summary) -> out.put(name, summary.statistics()));
        return Collections.unmodifiableMap(out);
    }

    /** A compact binary form: the counts and moments, and each field's sketch as the library serializes it. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(fields.size());
            for (var e : fields.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static FieldSummaries decode(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            return NONE;
        }
        Map<String, FieldSummary> fields = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("field statistics in format " + format + ", not " + FORMAT);
            }
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                fields.put(in.readUTF(), FieldSummary.read(in));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("field statistics cut short or damaged", e);
        }
        return new FieldSummaries(fields);
    }
}
