package dev.intake.core.format.parquet;

import dev.intake.core.ImportFailedException;
import dev.intake.core.schema.FieldType;
import dev.intake.core.schema.RecordSchema;
import dev.intake.core.schema.SchemaField;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file's columns, checked against a dataset schema, and how each one's values become the
 * values schema validation takes (the same it takes from JSON Lines: text, whole numbers, decimals,
 * doubles, booleans). Every conversion is exact; validation then applies the field's own rules
 * (range, whole numbers), so a Parquet value is exactly as strict as the same value in CSV.
 */
final class ParquetColumns {
    /** What a column holds, which decides the field types it can fill. */
    enum Kind {
        TEXT(EnumSet.allOf(FieldType.class)), // as a CSV field's text
        INTEGER(numeric()),
        DECIMAL(numeric()),
        REAL(numeric()),
        BOOLEAN(EnumSet.of(FieldType.BOOLEAN)),
        /** Dates, times and timestamps: text in a string field, their count (days, units) in an int or long field. */
        TEMPORAL(EnumSet.of(FieldType.STRING, FieldType.INT, FieldType.LONG));

        final Set<FieldType> fills;

        Kind(Set<FieldType> fills) {
            this.fills = fills;
        }

        private static Set<FieldType> numeric() {
            return EnumSet.of(FieldType.INT, FieldType.LONG, FieldType.FLOAT, FieldType.DOUBLE);
        }
    }

    /** A value that fails its row, with the reason. */
    record Refused(String reason) {
    }

    @FunctionalInterface
    interface Decoder {
        Object read(ColumnReader column);
    }

    /** One column: its descriptor, how absent values show, and how its values are read. */
    record Column(String name, ColumnDescriptor descriptor, Decoder decoder) {
        int maxDefinitionLevel() {
            return descriptor.getMaxDefinitionLevel();
        }

        Object read(ColumnReader column) {
            return decoder.read(column);
        }
    }

    private final MessageType requested;
    private final List<Column> columns;

    private ParquetColumns(MessageType requested, List<Column> columns) {
        this.requested = requested;
        this.columns = List.copyOf(columns);
    }

    MessageType requested() {
        return requested;
    }

    List<Column> all() {
        return columns;
    }

    Column get(int index) {
        return columns.get(index);
    }

    List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * Checks a file's columns as a CSV header is checked (each a schema field, once; every required
     * field present; none that the file's location gives), and each column's type against its field's.
     *
     * @throws ImportFailedException naming the file and the column
     */
    static ParquetColumns check(String file, MessageType fileSchema, RecordSchema schema, Set<String> given) {
        List<String> names = new ArrayList<>();
        for (Type type : fileSchema.getFields()) {
            if (!type.isPrimitive()) {
                throw failed(file, "column '" + type.getName() + "' is nested (a group, list or map); Intake reads flat "
                        + "Parquet files, one column per field");
            }
            if (type.isRepetition(Type.Repetition.REPEATED)) {
                throw failed(file, "column '" + type.getName() + "' is repeated (a list); Intake reads one value per field");
            }
            if (given.contains(type.getName())) {
                throw failed(file, "column '" + type.getName() + "' is a field the file's location gives");
            }
            names.add(type.getName());
        }
        List<String> withGiven = new ArrayList<>(names);
        withGiven.addAll(given);
        String problem = schema.headerProblem(withGiven);
        if (problem != null) {
            throw new ImportFailedException("The columns of " + file + " do not match the dataset schema: " + problem);
        }
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            PrimitiveType type = fileSchema.getType(name).asPrimitiveType();
            SchemaField field = schema.field(name);
            Kind kind = kind(type);
            if (kind == null) {
                throw failed(file, "column '" + name + "' has a Parquet type Intake does not read (" + describe(type) + ")");
            }
            if (!kind.fills.contains(field.type())) {
                throw failed(file, "column '" + name + "' (" + describe(type) + ") cannot be read into field '" + name
                        + "' of type " + field.type().avroName());
            }
            columns.add(new Column(name, fileSchema.getColumnDescription(new String[] {name}), decoder(type, field)));
        }
        return new ParquetColumns(fileSchema, columns);
    }

    private static ImportFailedException failed(String file, String problem) {
        return new ImportFailedException("File " + file + ": " + problem);
    }

    private static String describe(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return type.getPrimitiveTypeName().name() + (logical == null ? "" : " " + logical);
    }

    /** The kind of a column, or null for the types Intake does not read. */
    static Kind kind(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> logical == null ? Kind.BOOLEAN : null;
            case INT32, INT64 -> logical == null || logical instanceof IntLogicalTypeAnnotation ? Kind.INTEGER
                    : logical instanceof DecimalLogicalTypeAnnotation ? Kind.DECIMAL
                    : logical instanceof DateLogicalTypeAnnotation || logical instanceof TimeLogicalTypeAnnotation
                            || logical instanceof TimestampLogicalTypeAnnotation ? Kind.TEMPORAL
                    : null;
            case FLOAT, DOUBLE -> logical == null ? Kind.REAL : null;
            case BINARY -> logical == null || logical instanceof StringLogicalTypeAnnotation
                    || logical instanceof EnumLogicalTypeAnnotation || logical instanceof JsonLogicalTypeAnnotation ? Kind.TEXT
                    : logical instanceof DecimalLogicalTypeAnnotation ? Kind.DECIMAL
                    : null;
            case FIXED_LEN_BYTE_ARRAY -> logical instanceof DecimalLogicalTypeAnnotation ? Kind.DECIMAL
                    : logical instanceof UUIDLogicalTypeAnnotation ? Kind.TEXT
                    : null;
            case INT96 -> null; // deprecated timestamps: write TIMESTAMP instead
        };
    }

    private static Decoder decoder(PrimitiveType type, SchemaField field) {
        String name = field.name();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        boolean int32 = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32;
        switch (kind(type)) {
            case TEXT -> {
                if (logical instanceof UUIDLogicalTypeAnnotation) {
                    return c -> {
                        ByteBuffer b = c.getBinary().toByteBuffer();
                        return new UUID(b.getLong(), b.getLong()).toString();
                    };
                }
                return c -> utf8(name, c.getBinary());
            }
            case BOOLEAN -> {
                return ColumnReader::getBoolean;
            }
            case INTEGER -> {
                boolean unsigned = logical instanceof IntLogicalTypeAnnotation i && !i.isSigned();
                if (int32) {
                    return unsigned ? c -> Integer.toUnsignedLong(c.getInteger()) : c -> (long) c.getInteger();
                }
                return unsigned ? c -> unsigned64(c.getLong()) : ColumnReader::getLong;
            }
            case DECIMAL -> {
                int scale = ((DecimalLogicalTypeAnnotation) logical).getScale();
                return switch (type.getPrimitiveTypeName()) {
                    case INT32 -> c -> BigDecimal.valueOf(c.getInteger(), scale);
                    case INT64 -> c -> BigDecimal.valueOf(c.getLong(), scale);
                    default -> c -> {
                        byte[] bytes = c.getBinary().getBytes();
                        return bytes.length == 0 ? new Refused("field '" + name + "' holds an empty decimal")
                                : new BigDecimal(new BigInteger(bytes), scale);
                    };
                };
            }
            case REAL -> {
                if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT) {
                    // The float's shortest decimal form: the number a CSV file would have held.
                    return c -> {
                        float f = c.getFloat();
                        return Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : notANumber(field, Float.toString(f));
                    };
                }
                return c -> {
                    double d = c.getDouble();
                    return Double.isFinite(d) ? (Object) d : notANumber(field, Double.toString(d));
                };
            }
            case TEMPORAL -> {
                Decoder count = int32 ? c -> (long) c.getInteger() : ColumnReader::getLong;
                if (field.type() != FieldType.STRING) {
                    return count;
                }
                return c -> {
                    long value = (Long) count.read(c);
                    try {
                        return text(logical, value);
                    } catch (java.time.DateTimeException e) { // a count no calendar holds: the row fails, not the file
                        return new Refused("field '" + name + "' value " + value + " (" + logical
                                + ") is out of the range of dates and times");
                    }
                };
            }
            default -> throw new IllegalStateException("no decoder for " + type);
        }
    }

    private static Object unsigned64(long value) {
        return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
    }

    private static Refused notANumber(SchemaField field, String value) {
        return new Refused("field '" + field.name() + "' has value " + value + ", which is not "
                + (field.type() == FieldType.INT ? "an " : "a ") + field.type().avroName());
    }

    private static Object utf8(String field, Binary value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(value.toByteBuffer()).toString();
        } catch (CharacterCodingException e) {
            return new Refused("field '" + field + "' is not valid UTF-8");
        }
    }

    /**
     * A date as {@code yyyy-MM-dd}, a time as {@code HH:mm:ss}, a timestamp as {@code yyyy-MM-dd HH:mm:ss}
     * (a UTC-adjusted one in UTC), each with the fraction of a second when it has one, in the digits of
     * its unit (3, 6 or 9).
     */
    static String text(LogicalTypeAnnotation logical, long count) {
        if (logical instanceof DateLogicalTypeAnnotation) {
            return LocalDate.ofEpochDay(count).toString();
        }
        if (logical instanceof TimeLogicalTypeAnnotation time) {
            long perSecond = perSecond(time.getUnit());
            LocalTime t = LocalTime.ofSecondOfDay(Math.floorDiv(count, perSecond));
            return String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond())
                    + fraction(Math.floorMod(count, perSecond), time.getUnit());
        }
        TimestampLogicalTypeAnnotation timestamp = (TimestampLogicalTypeAnnotation) logical;
        long perSecond = perSecond(timestamp.getUnit());
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(count, perSecond), 0, ZoneOffset.UTC);
        return String.format("%s %02d:%02d:%02d", t.toLocalDate(), t.getHour(), t.getMinute(), t.getSecond())
                + fraction(Math.floorMod(count, perSecond), timestamp.getUnit());
    }

    private static long perSecond(TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> 1_000L;
            case MICROS -> 1_000_000L;
            case NANOS -> 1_000_000_000L;
        };
    }

    private static String fraction(long units, TimeUnit unit) {
        if (units == 0) {
            return "";
        }
        int digits = unit == TimeUnit.MILLIS ? 3 : unit == TimeUnit.MICROS ? 6 : 9;
        String s = Long.toString(units);
        return "." + "0".repeat(digits - s.length()) + s;
    }
}
