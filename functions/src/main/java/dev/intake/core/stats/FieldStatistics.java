package dev.intake.core.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an import's valid rows held in one field (see {@link FieldStatisticsCollector} for which rows).
 *
 * @param count         values that are not null (NaN values included)
 * @param countDistinct distinct values among them: an estimate (a HyperLogLog sketch), exact for few
 *                      values; {@link #UNKNOWN} where the sketch library could not run
 * @param countNull     null (missing) values
 * @param countNan      NaN values (numeric fields only; the engine's validation refuses NaN today, so 0)
 * @param min           the least value (Long for integer and timestamp fields, in epoch seconds; Double for
 *                      real ones), null when the field has no such value or no order
 * @param avg           the mean of the numbers (not NaN), null when none or not numeric
 * @param stddev        their population standard deviation (the values are all the rows, not a sample)
 */
public record FieldStatistics(FieldKind kind, long count, long countDistinct, long countNull, long countNan,
                              Number min, Number max, Double avg, Double stddev) {
    private static final int FORMAT = 1;
    /** A count not known (countDistinct without the sketch library). */
    public static final long UNKNOWN = -1;

    /** Min as Forecast writes it: a number's shortest decimal form, a timestamp as an ISO-8601 UTC instant. */
    public String minText() {
        return text(min);
    }

    public String maxText() {
        return text(max);
    }

    private String text(Number value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case TIMESTAMP -> DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(value.longValue()));
            case REAL -> Double.toString(value.doubleValue());
            default -> Long.toString(value.longValue());
        };
    }

    /** A job's statistics, field by field, in a compact binary form (a few dozen bytes a field). */
    public static byte[] encode(Map<String, FieldStatistics> fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(fields.size());
            for (var e : fields.entrySet()) {
                FieldStatistics f = e.getValue();
                out.writeUTF(e.getKey());
                out.writeByte(f.kind().ordinal());
                out.writeLong(f.count());
                out.writeLong(f.countDistinct());
                out.writeLong(f.countNull());
                out.writeLong(f.countNan());
                FieldSummary.writeNumber(out, f.kind(), f.min());
                FieldSummary.writeNumber(out, f.kind(), f.max());
                writeDouble(out, f.avg());
                writeDouble(out, f.stddev());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The statistics {@link #encode} wrote, in the same field order. */
    public static Map<String, FieldStatistics> decode(byte[] encoded) {
        Map<String, FieldStatistics> fields = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("field statistics in format " + format + ", not " + FORMAT);
            }
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                String name = in.readUTF();
                FieldKind kind = FieldKind.values()[in.readUnsignedByte()];
                fields.put(name, new FieldStatistics(kind, in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                        FieldSummary.readNumber(in, kind), FieldSummary.readNumber(in, kind), readDouble(in), readDouble(in)));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("field statistics cut short or damaged", e);
        }
        return Collections.unmodifiableMap(fields);
    }

    private static void writeDouble(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }
}
