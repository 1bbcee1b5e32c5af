package dev.intake.core.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The mergeable state of one field's statistics over some rows (a chunk, or several merged): exact
 * counts, extremes, the mean and the sum of squared deviations of the numbers (Welford within a
 * chunk, Chan et al.'s pairwise formula across chunks, so a file split any way gives the figures
 * of one pass up to rounding), and a HyperLogLog sketch of the distinct values.
 *
 * @param count  values that are not null
 * @param nans   of them, NaN
 * @param mean   the mean of the count - nans numbers (numeric kinds only)
 * @param m2     the sum of their squared deviations from the mean
 * @param min    the least non-NaN value (Long or Double by kind; epoch seconds for timestamps), or null
 * @param sketch the distinct values, a compact HLL_4 sketch; empty where the library cannot run
 *               (see DistinctSketches)
 */
public record FieldSummary(FieldKind kind, long count, long nulls, long nans, double mean, double m2,
                           Number min, Number max, byte[] sketch) {

    public FieldSummary {
        sketch = sketch.clone();
    }

    /** The numbers the mean and m2 are over. */
    long numbers() {
        return kind.numeric() ? count - nans : 0;
    }

    /** These rows' statistics and another's, as if both had been counted in one pass. */
    public FieldSummary merge(FieldSummary other) {
        return combine(other, union(java.util.List.of(sketch, other.sketch)));
    }

    /** The counts, extremes and moments of both, with the given sketch (the union of theirs). */
    FieldSummary combine(FieldSummary other, byte[] unionSketch) {
        if (other.kind != kind) {
            throw new IllegalArgumentException("cannot merge statistics of a " + kind + " field and a " + other.kind + " field");
        }
        long na = numbers();
        long nb = other.numbers();
        double mean;
        double m2;
        if (nb == 0) {
            mean = this.mean;
            m2 = this.m2;
        } else if (na == 0) {
            mean = other.mean;
            m2 = other.m2;
        } else {
            // Chan, Golub and LeVeque: the combined mean and M2 of two parts, without reading them again.
            double n = (double) na + nb;
            double delta = other.mean - this.mean;
            mean = this.mean + delta * (nb / n);
            m2 = this.m2 + other.m2 + delta * delta * (na / n) * nb;
        }
        return new FieldSummary(kind, count + other.count, nulls + other.nulls, nans + other.nans, mean, m2,
                least(min, other.min, true), least(max, other.max, false), unionSketch);
    }

    private Number least(Number a, Number b, boolean lower) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int order = kind == FieldKind.REAL ? Double.compare(a.doubleValue(), b.doubleValue())
                : Long.compare(a.longValue(), b.longValue());
        return (order <= 0) == lower ? a : b;
    }

    /**
     * The union of sketches (of one field, so of one size), as a compact HLL_4 sketch; no sketch
     * (empty) when any part has none: a distinct count of only some rows would be wrong.
     */
    static byte[] union(java.util.List<byte[]> sketches) {
        if (sketches.stream().anyMatch(b -> b.length == 0)) {
            return new byte[0];
        }
        Union union = null;
        for (byte[] bytes : sketches) {
            HllSketch s = HllSketch.heapify(bytes);
            if (union == null) {
                union = new Union(s.getLgConfigK());
            }
            union.update(s);
        }
        return union.getResult(TgtHllType.HLL_4).toCompactByteArray();
    }

    /** The figures a job reports: the distinct estimate rounded (never above the count), Avg and Stddev when finite. */
    public FieldStatistics statistics() {
        // The composite estimator reads the registers alone, which are the same however the rows were
        // split into chunks (a union is the registers' maximum); the HIP estimator depends on the order.
        long distinct = sketch.length == 0 ? FieldStatistics.UNKNOWN
                : Math.min(count, Math.round(HllSketch.heapify(sketch).getCompositeEstimate()));
        Double avg = null;
        Double stddev = null;
        if (numbers() > 0 && Double.isFinite(mean) && Double.isFinite(m2)) {
            avg = mean;
            stddev = Math.sqrt(Math.max(0, m2) / numbers());
        }
        return new FieldStatistics(kind, count, distinct, nulls, nans, min, max, avg, stddev);
    }

    /** The sketch's estimate and its bounds at {@code deviations} standard deviations (for tests and reports). */
    public double[] distinctBounds(int deviations) {
        HllSketch s = HllSketch.heapify(sketch);
        return new double[] {s.getLowerBound(deviations), s.getEstimate(), s.getUpperBound(deviations)};
    }

    void write(DataOutputStream out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeLong(count);
        out.writeLong(nulls);
        out.writeLong(nans);
        if (kind.numeric()) {
            out.writeDouble(mean);
            out.writeDouble(m2);
        }
        writeNumber(out, kind, min);
        writeNumber(out, kind, max);
        out.writeInt(sketch.length);
        out.write(sketch);
    }

    static FieldSummary read(DataInputStream in) throws IOException {
        FieldKind kind = FieldKind.values()[in.readUnsignedByte()];
        long count = in.readLong();
        long nulls = in.readLong();
        long nans = in.readLong();
        double mean = kind.numeric() ? in.readDouble() : 0;
        double m2 = kind.numeric() ? in.readDouble() : 0;
        Number min = readNumber(in, kind);
        Number max = readNumber(in, kind);
        byte[] sketch = new byte[in.readInt()];
        in.readFully(sketch);
        return new FieldSummary(kind, count, nulls, nans, mean, m2, min, max, sketch);
    }

    static void writeNumber(DataOutputStream out, FieldKind kind, Number value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            if (kind == FieldKind.REAL) {
                out.writeDouble(value.doubleValue());
            } else {
                out.writeLong(value.longValue());
            }
        }
    }

    static Number readNumber(DataInputStream in, FieldKind kind) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return kind == FieldKind.REAL ? (Number) in.readDouble() : (Number) in.readLong();
    }

    @Override
    public byte[] sketch() {
        return sketch.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSummary s && kind == s.kind && count == s.count && nulls == s.nulls && nans == s.nans
                && Double.compare(mean, s.mean) == 0 && Double.compare(m2, s.m2) == 0
                && java.util.Objects.equals(min, s.min) && java.util.Objects.equals(max, s.max)
                && Arrays.equals(sketch, s.sketch);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, count, nulls, nans, mean, m2, min, max, Arrays.hashCode(sketch));
    }

    @Override
    public String toString() {
        return "FieldSummary[" + kind + ", count=" + count + ", nulls=" + nulls + ", nans=" + nans + ", mean=" + mean
                + ", m2=" + m2 + ", min=" + min + ", max=" + max + ", sketch=" + sketch.length + " bytes]";
    }
}
