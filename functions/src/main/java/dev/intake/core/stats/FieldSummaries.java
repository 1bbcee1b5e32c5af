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
import java.util.TreeMap;

/**
 * The mergeable statistics of every field over some rows: what a chunk stores with its result, and
 * what the job's chunks merge into. Fields keep the schema's order.
 *
 * @param given the fields a file rule gave every one of the rows (Lookout for Equipment's component,
 *              from the file's key), empty when none: a chunk's rows are all of one file, so its
 *              statistics can be kept apart by these ({@link #mergeByGiven})
 */
public record FieldSummaries(Map<String, FieldSummary> fields, Map<String, String> given) {
    /** No rows counted, or a result stored before the engine kept statistics. */
    public static final FieldSummaries NONE = new FieldSummaries(Map.of());
    private static final int FORMAT = 1;
    /** FORMAT and the given fields after the fields (written only when there are some). */
    private static final int FORMAT_WITH_GIVEN = 2;

    public FieldSummaries {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        given = Collections.unmodifiableMap(new TreeMap<>(given));
    }

    public FieldSummaries(Map<String, FieldSummary> fields) {
        this(fields, Map.of());
    }

    /** The same statistics, of rows a file rule gave these fields. */
    public FieldSummaries withGiven(Map<String, String> fields) {
        return new FieldSummaries(this.fields, fields);
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

    /**
     * The statistics of each group of parts whose rows were given the same fields (all the parts of
     * one Lookout component, say), each merged as {@link #merge} does; groups in the order first met.
     * Parts given no fields are one group, under the empty map.
     */
    public static Map<Map<String, String>, FieldSummaries> mergeByGiven(Collection<FieldSummaries> parts) {
        Map<Map<String, String>, List<FieldSummaries>> groups = new LinkedHashMap<>();
        for (FieldSummaries part : parts) {
            groups.computeIfAbsent(part.given, g -> new ArrayList<>()).add(part);
        }
        Map<Map<String, String>, FieldSummaries> merged = new LinkedHashMap<>();
        groups.forEach((given, members) -> merged.put(given, merge(members).withGiven(given)));
        return Collections.unmodifiableMap(merged);
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
            out.writeByte(given.isEmpty() ? FORMAT : FORMAT_WITH_GIVEN);
            out.writeInt(fields.size());
            for (var e : fields.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
            if (!given.isEmpty()) {
                out.writeInt(given.size());
                for (var e : given.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
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
        Map<String, String> given = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT && format != FORMAT_WITH_GIVEN) {
                throw new IllegalArgumentException("field statistics in format " + format + ", not " + FORMAT
                        + " or " + FORMAT_WITH_GIVEN);
            }
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                fields.put(in.readUTF(), FieldSummary.read(in));
            }
            if (format == FORMAT_WITH_GIVEN) {
                int givenSize = in.readInt();
                for (int i = 0; i < givenSize; i++) {
                    given.put(in.readUTF(), in.readUTF());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("field statistics cut short or damaged", e);
        }
        return new FieldSummaries(fields, given);
    }
}
