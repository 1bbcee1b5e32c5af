package dev.intake.core.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
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
 *
 * <p>A record is written by hand (strings escaped as Jackson's generator escapes them, doubles by
 * the same Schubfach writer or, when they are short decimals, by {@link ShortDoubles}, which gives
 * the same bytes), which costs a fraction of the generator's per-value overhead; a
 * record with a surrogate or a big number in it is written by the generator itself, whose bytes
 * the hand-written path reproduces exactly otherwise ({@code CanonicalEncodingTest} compares both).
 */
final class CanonicalJson {
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .rootValueSeparator((String) null)
            .build();
    /** A buffer that grew past this for one huge record is let go afterwards. */
    private static final int KEPT_BUFFER_BYTES = 1 << 20;
    private static final int KEPT_CHARS = 4096;

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /**
     * How Jackson's generator escapes each ASCII char: 0 as is, a letter as that short escape
     * ({@code \n}), -1 as {@code \\u00XX}.
     */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private final SerializableString[] names;
    /** Each field's bytes before its value: <code>{"name":</code> for the first, <code>,"name":</code> after. */
    private final byte[][] prefixes;
    private final Bytes out = new Bytes();
    /** A string's chars, copied out of it; a longer string's in an array of its own. */
    private final char[] chars = new char[KEPT_CHARS];
    private JsonGenerator generator;

    CanonicalJson(List<SchemaField> fields) {
        this.names = fields.stream().map(f -> new SerializedString(f.name())).toArray(SerializableString[]::new);
        this.prefixes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(fields.get(i).name());
            byte[] prefix = new byte[quoted.length + 4];
            prefix[0] = (byte) (i == 0 ? '{' : ',');
            prefix[1] = '"';
            System.arraycopy(quoted, 0, prefix, 2, quoted.length);
            prefix[quoted.length + 2] = '"';
            prefix[quoted.length + 3] = ':';
            prefixes[i] = prefix;
        }
    }

    /** Encodes one record's values (in schema order); the bytes are in {@link #bytes()} up to {@link #length()}. */
    void write(Object[] values) {
        out.reset();
        if (!writeDirect(values)) {
            writeWithGenerator(values);
        }
    }

    /** Writes the record by hand; false (and partly written) when a value needs the generator. */
    private boolean writeDirect(Object[] values) {
        if (names.length == 0) {
            return false;
        }
        for (int i = 0; i < prefixes.length; i++) {
            out.write(prefixes[i], 0, prefixes[i].length);
            Object value = values[i];
            if (value == null) {
                out.write(NULL, 0, NULL.length);
            } else if (value instanceof String s) {
                if (!writeString(s)) {
                    return false;
                }
            } else if (value instanceof Double d) {
                writeDouble(d);
            } else if (value instanceof Long l) {
                out.ensure(20); // Long.MIN_VALUE's digits and sign
                out.length = NumberOutput.outputLong(l, out.buffer, out.length);
            } else if (value instanceof Integer n) {
                out.ensure(11);
                out.length = NumberOutput.outputInt(n, out.buffer, out.length);
            } else if (value instanceof Boolean b) {
                byte[] word = b ? TRUE : FALSE;
                out.write(word, 0, word.length);
            } else {
                return false; // BigDecimal, BigInteger: the generator's forms
            }
        }
        out.write('}');
        return true;
    }

    private void writeDouble(double v) {
        out.ensure(ShortDoubles.MAX_PLAIN_CHARS);
        int end = ShortDoubles.writePlain(v, out.buffer, out.length);
        if (end >= 0) {
            out.length = end;
            return;
        }
        String text = NumberOutput.toString(v, true);
        if (Double.isFinite(v)) {
            out.writeAscii(text);
        } else {
            writeString(text); // NaN and the infinities: quoted, as the generator writes them
        }
    }

    /** A quoted string as the generator escapes it; false for one with a surrogate (the generator's case). */
    private boolean writeString(String s) {
        int n = s.length();
        out.ensure(n * 6 + 2); // the longest escape, \\u00XX, is six bytes per char
        char[] chars = n <= KEPT_CHARS ? this.chars : new char[n];
        s.getChars(0, n, chars, 0); // one bulk copy, then array reads: no String.charAt call and check per char
        byte[] b = out.buffer;
        int start = out.length + 1;
        b[start - 1] = '"';
        int i = 0;
        while (i < n && chars[i] < 0x80 && ESCAPES[chars[i]] == 0) { // the usual case: plain ASCII
            b[start + i] = (byte) chars[i];
            i++;
        }
        int at = start + i;
        for (; i < n; i++) {
            char c = chars[i];
            if (c < 0x80) {
                int escape = ESCAPES[c];
                if (escape == 0) {
                    b[at++] = (byte) c;
                } else if (escape > 0) {
                    b[at++] = '\\';
                    b[at++] = (byte) escape;
                } else {
                    b[at++] = '\\';
                    b[at++] = 'u';
                    b[at++] = '0';
                    b[at++] = '0';
                    b[at++] = HEX[c >> 4];
                    b[at++] = HEX[c & 0xF];
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                return false;
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[at++] = '"';
        out.length = at;
        return true;
    }

    /** The record through Jackson's generator: the reference for every byte {@link #writeDirect} writes. */
    void writeWithGenerator(Object[] values) {
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

        void writeAscii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buffer[length + i] = (byte) s.charAt(i); // numbers' text: ASCII only
            }
            length += n;
        }

        void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
