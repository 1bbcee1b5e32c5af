package dev.intake.core.schema;

import dev.intake.core.format.FieldNames;
import dev.intake.core.format.RowValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates one chunk's rows against a schema ({@link RecordSchema#validator}), reusing its
 * buffers, JSON generator and digest from row to row: one per thread, never shared.
 */
public final class RowValidator {
    private static final byte[] BASE64_URL =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    /** 16 bytes of digest in Base64 without padding. */
    private static final int HASH_CHARS = 22;

    private final RecordSchema schema;
    private final TimestampRule timestamps;
    private final SchemaField[] fields;
    private final boolean[] timestamp;
    private final int[] keyFields;
    private final Object[] values;
    private final CanonicalJson canonical;
    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private final byte[] hashText = new byte[HASH_CHARS];

    /** The names {@link #columnOfField} was worked out for (by identity: a file's rows share them). */
    private FieldNames mappedNames;
    /** For each schema field, its position in {@link #mappedNames}, or -1. */
    private int[] columnOfField;
    /** The first of {@link #mappedNames} that is not a schema field, or null. */
    private String unknownName;

    RowValidator(RecordSchema schema, TimestampRule timestamps) {
        this.schema = schema;
        this.timestamps = timestamps;
        List<SchemaField> list = schema.fields();
        this.fields = list.toArray(SchemaField[]::new);
        this.timestamp = new boolean[fields.length];
        for (int i = 0; i < fields.length; i++) {
            timestamp[i] = timestamps != null && timestamps.fields().contains(fields[i].name());
        }
        this.keyFields = schema.keyFields().stream().mapToInt(k -> list.indexOf(schema.field(k))).toArray();
        this.values = new Object[fields.length];
        this.canonical = new CanonicalJson(list);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /**
     * Validates one raw row (CSV strings or JSON values) into a canonical record.
     *
     * @throws InvalidRowException naming the first problem of the row
     */
    public ValidRecord validate(Map<String, Object> raw) {
        Arrays.fill(values, null);
        if (raw instanceof RowValues row) {
            mapColumns(row.names());
            if (unknownName != null) {
                throw unknownField(unknownName);
            }
            for (int i = 0; i < fields.length; i++) {
                int column = columnOfField[i];
                values[i] = value(i, column < 0 ? null : row.value(column));
            }
        } else {
            for (String name : raw.keySet()) {
                if (schema.field(name) == null) {
                    throw unknownField(name);
                }
            }
            for (int i = 0; i < fields.length; i++) {
                values[i] = value(i, raw.get(fields[i].name()));
            }
        }
        String key = key();
        canonical.write(values);
        int bytes = canonical.length();
        if (bytes > RecordSchema.MAX_RECORD_BYTES) {
            throw new InvalidRowException("the record is larger than " + RecordSchema.MAX_RECORD_BYTES / 1024 + " KB");
        }
        sha256.update(canonical.bytes(), 0, bytes);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
        }
        return new ValidRecord(key, new String(canonical.bytes(), 0, bytes, StandardCharsets.UTF_8), hash(), bytes);
    }

    /**
     * The first 16 bytes of {@link #digest} in unpadded URL-safe Base64 (as {@code Base64.getUrlEncoder()
     * .withoutPadding()} writes them), without the encoder's copies.
     */
    private String hash() {
        byte[] text = hashText;
        int at = 0;
        for (int i = 0; i < 15; i += 3) {
            int bits = (digest[i] & 0xFF) << 16 | (digest[i + 1] & 0xFF) << 8 | (digest[i + 2] & 0xFF);
            text[at++] = BASE64_URL[bits >>> 18];
            text[at++] = BASE64_URL[(bits >>> 12) & 0x3F];
            text[at++] = BASE64_URL[(bits >>> 6) & 0x3F];
            text[at++] = BASE64_URL[bits & 0x3F];
        }
        int last = digest[15] & 0xFF;
        text[at++] = BASE64_URL[last >>> 2];
        text[at] = BASE64_URL[(last << 4) & 0x3F];
        return new String(text, 0, HASH_CHARS, StandardCharsets.ISO_8859_1);
    }

    /** The values of the row last validated, in schema order, as stored (valid until the next call). */
    public Object[] values() {
        return values;
    }

    /** The values of the row last validated by field name (for callers that want a map). */
    Map<String, Object> valuesByName() {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            byName.put(fields[i].name(), values[i]);
        }
        return byName;
    }

    private Object value(int field, Object raw) {
        SchemaField f = fields[field];
        Object value = RecordSchema.convert(f, raw);
        if (timestamp[field] && value instanceof String text) {
            value = text.isEmpty() && f.nullable() ? null : timestamps.apply(f.name(), text); // empty: missing
        }
        return value;
    }

    private void mapColumns(FieldNames names) {
        if (names == mappedNames) {
            return;
        }
        int[] columns = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            columns[i] = names.indexOf(fields[i].name());
        }
        String unknown = null;
        for (int c = 0; c < names.size() && unknown == null; c++) {
            if (schema.field(names.name(c)) == null) {
                unknown = names.name(c);
            }
        }
        columnOfField = columns;
        unknownName = unknown;
        mappedNames = names;
    }

    private static InvalidRowException unknownField(String name) {
        return new InvalidRowException("field '" + RecordSchema.shortName(name) + "' is not in the schema");
    }

    /**
     * The stored key of a record: its key values joined by {@link RecordSchema#KEY_SEPARATOR}. A value
     * may not be empty (DynamoDB refuses empty keys) nor hold the separator (two keys would collide).
     */
    private String key() {
        if (keyFields.length == 1) {
            String part = keyPart(keyFields[0]);
            requireKeyLength(part);
            return part;
        }
        StringBuilder key = new StringBuilder();
        for (int k : keyFields) {
            String part = keyPart(k);
            if (key.length() > 0) {
                key.append(RecordSchema.KEY_SEPARATOR);
            }
            key.append(part);
        }
        String joined = key.toString();
        requireKeyLength(joined);
        return joined;
    }

    private String keyPart(int field) {
        String part = String.valueOf(values[field]);
        String name = fields[field].name();
        if (part.isEmpty()) {
            throw new InvalidRowException("key field '" + RecordSchema.shortName(name) + "' is empty");
        }
        if (part.indexOf(RecordSchema.KEY_SEPARATOR) >= 0) {
            throw new InvalidRowException("key field '" + RecordSchema.shortName(name)
                    + "' contains the control character U+001F");
        }
        return part;
    }

    private static void requireKeyLength(String key) {
        if (key.length() * 3L > RecordSchema.MAX_KEY_BYTES && utf8Length(key) > RecordSchema.MAX_KEY_BYTES) {
            throw new InvalidRowException("the record key is longer than " + RecordSchema.MAX_KEY_BYTES + " bytes");
        }
    }

    /** The length of {@code s} in UTF-8, as {@code getBytes(UTF_8)} encodes it (a lone surrogate as one byte, '?'). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
