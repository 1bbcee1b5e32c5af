package dev.intake.core.schema;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How an import reads the timestamp fields of its rows: a pattern (as Forecast's TimestampFormat
 * gives it, e.g. {@code yyyy-MM-dd} or {@code yyyy-MM-dd HH:mm:ss}), parsed strictly (no 2024-02-30,
 * no 24:00:00, every digit the pattern asks for), and an optional time zone the values are written in.
 *
 * <p>A valid value is stored as written when no time zone is given, or when the pattern has no time
 * of day (a day is not an instant); otherwise as the instant it names, in ISO-8601 UTC
 * ({@code 2024-03-10T07:30:00Z}). A local time the zone skips (a daylight-saving gap) never
 * happened there and fails its row; one the zone repeats (an overlap) is the earlier of the two.
 *
 * @param fields  the fields the rule applies to (string fields; others are left alone)
 * @param pattern the format, in java.time's pattern letters ({@code yyyy} is the proleptic year); several
 *                formats separated by {@code |} accept a value any of them reads (the first that does)
 * @param zone    the zone the values are written in, or null to keep them as written
 */
public record TimestampRule(Set<String> fields, String pattern, ZoneId zone) {

    public TimestampRule {
        fields = Set.copyOf(fields);
        for (String p : pattern.split("\\|")) {
            formatter(p); // a pattern java.time cannot read is the caller's bug, found now
        }
    }

    /** The value a valid timestamp is stored as. @throws InvalidRowException naming the field, the value and the format */
    String apply(String field, String value) {
        var parsed = parse(field, value);
        if (zone == null || parsed.query(TemporalQueries.localTime()) == null) {
            return value;
        }
        LocalDateTime local = LocalDateTime.of(parsed.query(TemporalQueries.localDate()), parsed.query(TemporalQueries.localTime()));
        if (zone.getRules().getValidOffsets(local).isEmpty()) {
            throw new InvalidRowException("field '" + field + "' value '" + abbreviate(value) + "' is a time that does not exist in "
                    + zone.getId() + " (a daylight-saving gap)");
        }
        return DateTimeFormatter.ISO_INSTANT.format(ZonedDateTime.ofLocal(local, zone, null).toInstant());
    }

    private TemporalAccessor parse(String field, String value) {
        for (String p : pattern.split("\\|")) {
            try {
                var parsed = formatter(p).parse(value);
                if (parsed.query(TemporalQueries.localDate()) != null) {
                    return parsed;
                }
            } catch (DateTimeException e) {
                // not this format; the next may read it
            }
        }
        throw new InvalidRowException("field '" + field + "' value '" + abbreviate(value)
                + "' is not a timestamp in the format " + pattern.replace("|", " or "));
    }

    /** Formatters by pattern: a job applies one to every row. */
    private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

    private static DateTimeFormatter formatter(String pattern) {
        // STRICT resolving refuses 2024-02-30; it needs 'u' (year) rather than 'y' (year of era).
        return FORMATTERS.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p.replace('y', 'u'))
                .withResolverStyle(ResolverStyle.STRICT));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
