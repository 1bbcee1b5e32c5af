package dev.intake.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.core.IntakeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A dataset's schema: an Avro record of primitive (optionally nullable) fields, as Personalize takes
 * it, plus the key fields that identify a record. Validates raw rows into canonical records.
 */
public final class RecordSchema {
    /** Separates the parts of a composite key; a control character no sane key contains. */
    public static final char KEY_SEPARATOR = '\u001f';
    public static final int MAX_SCHEMA_LENGTH = 20_000;
    /** DynamoDB sort keys hold 1,024 bytes; the rest is room for the engine's own prefixes. */
    public static final int MAX_KEY_BYTES = 960;
    /** DynamoDB items hold 400 KB; the rest is room for the engine's bookkeeping attributes. */
    public static final int MAX_RECORD_BYTES = 380 * 1024;

    private final String json;
    private final List<SchemaField> fields;
    private final Map<String, SchemaField> byName;
    private final List<String> keyFields;

    private RecordSchema(String json, List<SchemaField> fields, List<String> keyFields) {
        this.json = json;
        this.fields = List.copyOf(fields);
        this.byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        this.keyFields = List.copyOf(keyFields);
    }

    /** Parses and checks a schema; every problem is an InvalidInput naming it. */
    public static RecordSchema parse(String avroJson, List<String> keyFields) {
        List<SchemaField> fields = parseFields(avroJson);
        return withKeys(avroJson, fields, keyFields);
    }

    /**
     * Parses and checks a schema's fields, before any key is chosen (a Personalize schema is made
     * before the dataset whose type decides its key); every problem is an InvalidInput naming it.
     */
    public static List<SchemaField> parseFields(String avroJson) {
        if (avroJson == null || avroJson.isBlank()) {
            throw IntakeException.invalid("schema must not be empty");
        }
        if (avroJson.length() > MAX_SCHEMA_LENGTH) {
            throw IntakeException.invalid("schema must be at most " + MAX_SCHEMA_LENGTH + " characters");
        }
        Schema avro;
        try {
            avro = new Schema.Parser().setValidateDefaults(true).parse(avroJson);
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw IntakeException.invalid("schema is not a valid Avro schema: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw IntakeException.invalid("schema is not valid JSON");
        }
        if (avro.getType() != Schema.Type.RECORD) {
            throw IntakeException.invalid("schema must be an Avro record, not " + avro.getType().getName());
        }
        List<SchemaField> fields = new ArrayList<>();
        for (Schema.Field f : avro.getFields()) {
            fields.add(toField(f));
        }
        if (fields.isEmpty()) {
            throw IntakeException.invalid("schema must have at least one field");
        }
        return fields;
    }

    private static RecordSchema withKeys(String avroJson, List<SchemaField> fields, List<String> keyFields) {
        if (keyFields == null || keyFields.isEmpty()) {
            throw IntakeException.invalid("keyFields must name at least one schema field");
        }
        Set<String> seen = new HashSet<>();
        for (String key : keyFields) {
            SchemaField field = fields.stream().filter(f -> f.name().equals(key)).findFirst()
                    .orElseThrow(() -> IntakeException.invalid("key field '" + key + "' is not a field of the schema"));
            if (!seen.add(key)) {
                throw IntakeException.invalid("key field '" + key + "' is named twice");
            }
            if (field.nullable()) {
                throw IntakeException.invalid("key field '" + key + "' must not be nullable");
            }
            if (field.type() == FieldType.FLOAT || field.type() == FieldType.DOUBLE) {
                throw IntakeException.invalid("key field '" + key + "' must be a string, int, long or boolean");
            }
        }
        return new RecordSchema(avroJson, fields, keyFields);
    }

    private static SchemaField toField(Schema.Field f) {
        Schema type = f.schema();
        boolean nullable = false;
        if (type.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            nullable = nonNull.size() < type.getTypes().size();
            if (nonNull.size() != 1) {
                throw IntakeException.invalid("field '" + f.name()
                        + "' must be a primitive type or a union of null and one primitive type");
            }
            type = nonNull.get(0);
        }
        FieldType fieldType = switch (type.getType()) {
            case STRING -> FieldType.STRING;
            case INT -> FieldType.INT;
            case LONG -> FieldType.LONG;
            case FLOAT -> FieldType.FLOAT;
            case DOUBLE -> FieldType.DOUBLE;
            case BOOLEAN -> FieldType.BOOLEAN;
            default -> throw IntakeException.invalid("field '" + f.name() + "' has type " + type.getType().getName()
                    + "; supported types are string, int, long, float, double and boolean");
        };
        boolean hasDefault = f.hasDefaultValue();
        Object defaultValue = null;
        if (hasDefault) {
            Object raw = f.defaultVal();
            if (raw != null && raw != org.apache.avro.JsonProperties.NULL_VALUE) {
                defaultValue = coerceJava(fieldType, raw);
            }
        }
        return new SchemaField(f.name(), fieldType, nullable, defaultValue, hasDefault);
    }

    private static Object coerceJava(FieldType type, Object raw) {
        return switch (type) {
            case STRING -> raw.toString();
            case INT -> ((Number) raw).intValue();
            case LONG -> ((Number) raw).longValue();
            case FLOAT, DOUBLE -> ((Number) raw).doubleValue();
            case BOOLEAN -> (Boolean) raw;
        };
    }

    public String json() {
        return json;
    }

    public List<SchemaField> fields() {
        return fields;
    }

    public List<String> keyFields() {
        return keyFields;
    }

    public SchemaField field(String name) {
        return byName.get(name);
    }

    /**
     * Checks a CSV header against the schema: every column must be a schema field, named once, and
     * every field a row cannot leave out must have a column. Returns the problem, or null if none.
     */
    public String headerProblem(List<String> header) {
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!byName.containsKey(column)) {
                return "column '" + shortName(column) + "' is not a field of the dataset schema (fields: "
                        + String.join(", ", byName.keySet()) + ")";
            }
            if (!seen.add(column)) {
                return "column '" + shortName(column) + "' appears twice";
            }
        }
        for (SchemaField f : fields) {
            if (!f.optional() && !seen.contains(f.name())) {
                return "required field '" + f.name() + "' has no column";
            }
        }
        return null;
    }

    /**
     * Validates one raw row (CSV strings or JSON values) into a canonical record.
     *
     * @throws InvalidRowException naming the first problem of the row
     */
    public ValidRecord validate(Map<String, Object> raw) {
        return validate(raw, null);
    }

    /**
     * Validates one raw row as {@link #validate(Map)} does, then reads the rule's timestamp fields by
     * its format (see {@link TimestampRule} for what is stored).
     *
     * @param timestamps the job's timestamp rule, or null for none
     * @throws InvalidRowException naming the first problem of the row
     */
    public ValidRecord validate(Map<String, Object> raw, TimestampRule timestamps) {
        return validate(raw, timestamps, null);
    }

    /**
     * As above, also handing the valid row's values (by field name, as stored) to {@code valid}, once
     * the row has passed every check; an invalid row is never handed on.
     */
    public ValidRecord validate(Map<String, Object> raw, TimestampRule timestamps,
                                java.util.function.Consumer<Map<String, Object>> valid) {
        RowValidator validator = validator(timestamps);
        ValidRecord record = validator.validate(raw);
        if (valid != null) {
            valid.accept(validator.valuesByName());
        }
        return record;
    }

    /**
     * A validator for many rows in turn (one chunk's), which reuses its buffers from row to row: for
     * one thread only.
     *
     * @param timestamps the job's timestamp rule, or null for none
     */
    public RowValidator validator(TimestampRule timestamps) {
        return new RowValidator(this, timestamps);
    }

    /**
     * The stored key of a record: its key values joined by {@link #KEY_SEPARATOR}. A value may not
     * be empty (DynamoDB refuses empty keys) nor hold the separator (two keys would collide).
     */
    private String key(Map<String, Object> values) {
        StringBuilder key = new StringBuilder();
        for (String k : keyFields) {
            String part = String.valueOf(values.get(k));
            if (part.isEmpty()) {
                throw new InvalidRowException("key field '" + shortName(k) + "' is empty");
            }
            if (part.indexOf(KEY_SEPARATOR) >= 0) {
                throw new InvalidRowException("key field '" + shortName(k) + "' contains the control character U+001F");
            }
            if (key.length() > 0) {
                key.append(KEY_SEPARATOR);
            }
            key.append(part);
        }
        if (key.toString().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidRowException("the record key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        return key.toString();
    }

    /** Encodes a key given field by field (GetRecord); the same form validate() produces. */
    public String encodeKey(Map<String, Object> keyValues) {
        for (String name : keyValues.keySet()) {
            if (!keyFields.contains(name)) {
                throw IntakeException.invalid("'" + shortName(name) + "' is not a key field (key fields: "
                        + String.join(", ", keyFields) + ")");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            for (String k : keyFields) {
                if (keyValues.get(k) == null) {
                    throw IntakeException.invalid("key must give a value for key field '" + k + "'");
                }
                values.put(k, convert(byName.get(k), keyValues.get(k)));
            }
            return key(values);
        } catch (InvalidRowException e) {
            throw IntakeException.invalid("key: " + e.getMessage());
        }
    }

    /** A name from a row, cut short: error messages are stored and shown, so they stay small. */
    static String shortName(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    static Object convert(SchemaField f, Object raw) {
        Object fast = fastConvert(f, raw);
        if (fast != null) {
            return fast;
        }
        if (raw instanceof JsonNode node) {
            throw new InvalidRowException("field '" + f.name() + "' has a nested " + node.getNodeType().name()
                    .toLowerCase(Locale.ROOT) + " value; only " + f.type().avroName() + " is allowed");
        }
        if (raw == null || (raw instanceof String s && s.isEmpty() && f.type() != FieldType.STRING)) {
            if (f.nullable()) {
                return null;
            }
            if (f.hasDefault()) {
                return f.defaultValue();
            }
            throw new InvalidRowException("field '" + f.name() + "' is missing a value");
        }
        return switch (f.type()) {
            case STRING -> {
                if (raw instanceof String s) {
                    yield s;
                }
                throw wrongType(f, raw);
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                if (raw instanceof String s) {
                    String word = trimBlanks(s);
                    if (word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false")) {
                        yield Boolean.parseBoolean(word);
                    }
                }
                throw wrongType(f, raw);
            }
            case INT, LONG -> integral(f, raw, number(f, raw));
            case FLOAT, DOUBLE -> real(f, raw, number(f, raw));
        };
    }

    /**
     * The common cases of {@link #convert} without BigDecimal or regular expressions: a string field's
     * string; an integer in plain digits that fits a long; a decimal number with an exponent of at
     * most three digits; a JSON integer or double; a boolean. Null whenever the general path must
     * decide (anything else, every failure included, so there is one wording for each problem).
     */
    private static Object fastConvert(SchemaField f, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (f.type()) {
            case STRING -> raw instanceof String ? raw : null;
            case BOOLEAN -> {
                if (raw instanceof Boolean) {
                    yield raw;
                }
                if (raw instanceof String s) {
                    if (s.equals("true") || s.equals("false")) {
                        yield s.length() == 4 ? Boolean.TRUE : Boolean.FALSE; // the usual spelling, at once
                    }
                    int start = blanksBefore(s);
                    int length = s.length() - blanksAfter(s, start) - start;
                    if (length == 4 && s.regionMatches(true, start, "true", 0, 4)) {
                        yield Boolean.TRUE;
                    }
                    if (length == 5 && s.regionMatches(true, start, "false", 0, 5)) {
                        yield Boolean.FALSE;
                    }
                }
                yield null;
            }
            case INT, LONG -> {
                boolean isInt = f.type() == FieldType.INT;
                if (raw instanceof Long l) {
                    yield !isInt ? l : l == l.intValue() ? (Object) l.intValue() : null;
                }
                if (raw instanceof Integer i) {
                    yield isInt ? i : (Object) i.longValue();
                }
                if (raw instanceof String s) {
                    long value = plainInteger(s);
                    if (value != NOT_PLAIN) {
                        yield !isInt ? (Object) value : value == (int) value ? (Object) (int) value : null;
                    }
                }
                yield null;
            }
            case DOUBLE, FLOAT -> {
                boolean isDouble = f.type() == FieldType.DOUBLE;
                if (raw instanceof Double d && isDouble) {
                    yield d == 0 ? 0.0 : d; // as BigDecimal made it: there is no -0 in decimal
                }
                if (raw instanceof Long l && isDouble) {
                    yield l == 0 ? 0.0 : (double) l;
                }
                if (raw instanceof String s) {
                    yield decimal(s, isDouble);
                }
                yield null;
            }
        };
    }

    private static final long NOT_PLAIN = Long.MIN_VALUE;

    /** An optional minus and 1 to 18 digits without a leading zero (blanks around are fine), or NOT_PLAIN. */
    private static long plainInteger(String s) {
        int start = blanksBefore(s);
        int end = s.length() - blanksAfter(s, start);
        boolean negative = start < end && s.charAt(start) == '-';
        int first = negative ? start + 1 : start;
        int digits = end - first;
        if (digits < 1 || digits > 18 || (digits > 1 && s.charAt(first) == '0')) {
            return NOT_PLAIN;
        }
        long value = 0;
        for (int i = first; i < end; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return NOT_PLAIN;
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /**
     * A number in JSON's grammar with an exponent of at most three digits, as a double the type holds
     * (finite, and not 0 unless it is 0); null for anything else.
     */
    static Object decimal(String s, boolean isDouble) {
        int start = blanksBefore(s);
        int end = s.length() - blanksAfter(s, start);
        if (end - start > MAX_NUMBER_CHARS) {
            return null;
        }
        int i = start;
        boolean negative = i < end && s.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        boolean nonZero = false;
        // The digits as a significand (leading zeros left out) and a count of them, for ShortDoubles.
        long significand = 0;
        int significantDigits = 0;
        int fractionDigits = 0;
        while (i < end && isDigit(s.charAt(i))) {
            char c = s.charAt(i);
            nonZero |= c != '0';
            if ((significand != 0 || c != '0') && ++significantDigits <= ShortDoubles.MAX_DIGITS) {
                significand = significand * 10 + (c - '0');
            }
            i++;
        }
        if (i == intStart || (i - intStart > 1 && s.charAt(intStart) == '0')) {
            return null;
        }
        if (i < end && s.charAt(i) == '.') {
            int fractionStart = ++i;
            while (i < end && isDigit(s.charAt(i))) {
                char c = s.charAt(i);
                nonZero |= c != '0';
                if ((significand != 0 || c != '0') && ++significantDigits <= ShortDoubles.MAX_DIGITS) {
                    significand = significand * 10 + (c - '0');
                }
                i++;
            }
            if (i == fractionStart) {
                return null;
            }
            fractionDigits = i - fractionStart;
        }
        int exponent = 0;
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            boolean negativeExponent = i < end && s.charAt(i) == '-';
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentStart = i;
            while (i < end && isDigit(s.charAt(i))) {
                exponent = exponent * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == exponentStart || i - exponentStart > 3) {
                return null;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i != end) {
            return null;
        }
        if (!nonZero) {
            return 0.0; // every zero, -0 and 0e5 included: there is no -0 in decimal
        }
        // A non-zero short decimal within 10^±22 of its significand is finite and not 0 as a float too.
        double fast = significantDigits > ShortDoubles.MAX_DIGITS ? Double.NaN
                : ShortDoubles.value(significand, exponent - fractionDigits);
        if (!Double.isNaN(fast)) {
            return negative ? -fast : fast;
        }
        String text = start == 0 && end == s.length() ? s : s.substring(start, end);
        double d = Double.parseDouble(text);
        if (isDouble) {
            if (!Double.isFinite(d) || d == 0) {
                return null;
            }
        } else {
            float single = Float.parseFloat(text);
            if (!Float.isFinite(single) || single == 0) {
                return null;
            }
        }
        return d;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int blanksBefore(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int blanksAfter(String s, int start) {
        int n = 0;
        while (s.length() - n > start && (s.charAt(s.length() - n - 1) == ' ' || s.charAt(s.length() - n - 1) == '\t')) {
            n++;
        }
        return n;
    }

    /**
     * JSON's number grammar: an optional minus, no leading zeros, an optional fraction and exponent.
     * Nothing else is a number here (no NaN or Infinity, no +1, 007, .5, 1d, 0x1p3 or 1_000).
     */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    /** Longer numbers are refused before parsing (as Jackson refuses them in JSON Lines). */
    static final int MAX_NUMBER_CHARS = 1000;

    /** The value of a number field, as JSON gave it or as text (CSV, or a JSON string) in JSON's grammar. */
    private static BigDecimal number(SchemaField f, Object raw) {
        if (raw instanceof BigDecimal d) {
            return d;
        }
        if (raw instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (raw instanceof Long || raw instanceof Integer) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if (raw instanceof Double d) {
            return new BigDecimal(Double.toString(d)); // the reader gives a Double only when it holds the digits exactly
        }
        if (raw instanceof String s) {
            String text = trimBlanks(s);
            if (text.length() <= MAX_NUMBER_CHARS && JSON_NUMBER.matcher(text).matches()) {
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw outOfRange(f, raw); // an exponent beyond what any number type holds
                }
            }
        }
        throw wrongType(f, raw);
    }

    /** Spaces and tabs around a number or boolean are not part of it; other white space is. */
    private static String trimBlanks(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** A whole number within the type's range (1.0 and 1e3 are whole; 1.5 is not). */
    private static Object integral(SchemaField f, Object raw, BigDecimal value) {
        BigDecimal whole = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (whole.scale() > 0) {
            throw wrongType(f, raw);
        }
        boolean isInt = f.type() == FieldType.INT;
        // Digits left of the point, known without expanding the number (1e1000000000 has one digit).
        if (whole.precision() - whole.scale() > 19) {
            throw outOfRange(f, raw);
        }
        BigInteger exact = whole.toBigIntegerExact();
        if (exact.bitLength() > (isInt ? 31 : 63)) {
            throw outOfRange(f, raw);
        }
        return isInt ? (Object) exact.intValue() : (Object) exact.longValue();
    }

    /** A finite value the type holds: not beyond its largest, nor a non-zero value it could only hold as 0. */
    private static Object real(SchemaField f, Object raw, BigDecimal value) {
        double d = value.doubleValue();
        boolean fits = f.type() == FieldType.FLOAT
                ? Float.isFinite(value.floatValue()) && (value.floatValue() != 0 || value.signum() == 0)
                : Double.isFinite(d) && (d != 0 || value.signum() == 0);
        if (!fits) {
            throw outOfRange(f, raw);
        }
        return d;
    }

    private static InvalidRowException outOfRange(SchemaField f, Object raw) {
        String shown = abbreviate(raw instanceof String s ? trimBlanks(s) : String.valueOf(raw));
        return new InvalidRowException("field '" + f.name() + "' value " + shown + " is out of range for "
                + f.type().avroName());
    }

    private static InvalidRowException wrongType(SchemaField f, Object raw) {
        String shown = raw instanceof String s ? "'" + abbreviate(s) + "'" : abbreviate(String.valueOf(raw));
        return new InvalidRowException("field '" + f.name() + "' has value " + shown + ", which is not "
                + (f.type() == FieldType.INT ? "an " : "a ") + f.type().avroName());
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
