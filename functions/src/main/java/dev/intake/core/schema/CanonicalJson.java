package dev.intake.core.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Writes validated records as compact JSON in schema order, so equal records give equal bytes, as
 * UTF-8 straight into a reused buffer. One instance per thread: it keeps its generator and buffer.
 *
 * <p>The bytes do not depend on the JDK: doubles are written by Jackson's Schubfach writer, whose
 * output is what {@code Double.toString} gives on JDK 19 and later (JDK 17's differs for some
 * values, e.g. {@code 1.0E23}, which it writes as {@code 9.999999999999999E22}). Characters outside
 * the BMP are written as their UTF-8 bytes; a lone surrogate (possible only from a JSON {@code \\u}
 * escape) as a {@code \\uXXXX} escape, so no two strings share an encoding.
 */
final class CanonicalJson {
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .rootValueSeparator((String) null)
            .build();
    /** A buffer that grew past this for one huge record is let go afterwards. */
    private static final int KEPT_BUFFER_BYTES = 1 << 20;

    private final SerializableString[] names;
    private final Bytes out = new Bytes();
    private JsonGenerator generator;

    CanonicalJson(List<SchemaField> fields) {
        this.names = fields.stream().map(f -> new SerializedString(f.name())).toArray(SerializableString[]::new);
    }

    /** Encodes one record's values (in schema order); the bytes are in {@link #bytes()} up to {@link #length()}. */
    void write(Object[] values) {
        out.reset();
        try {
            if (generator == null) {
                generator = JSON.createGenerator(out);
            }
            generator.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                generator.writeFieldName(names[i]);
                writeValue(values[i]);
            }
            generator.writeEndObject();
            generator.flush();
        } catch (IOException | RuntimeException e) {
            generator = null; // left inside an object: start afresh with the next record
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void writeValue(Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Integer i) {
            generator.writeNumber(i);
        } else if (value instanceof Long l) {
            generator.writeNumber(l);
        } else if (value instanceof Double d) {
            generator.writeNumber(d);
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (value instanceof BigDecimal d) {
            generator.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            generator.writeNumber(i);
        } else {
            throw new IllegalStateException("not a validated value: " + value.getClass().getName());
        }
    }

    byte[] bytes() {
        return out.buffer;
    }

    int length() {
        return out.length;
    }

    /** The output buffer: a ByteArrayOutputStream without copies or locks. */
    private static final class Bytes extends OutputStream {
        byte[] buffer = new byte[1024];
        int length;

        void reset() {
            if (buffer.length > KEPT_BUFFER_BYTES) {
                buffer = new byte[1024];
            }
            length = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buffer, length, len);
            length += len;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
