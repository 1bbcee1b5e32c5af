package dev.intake.core;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule expression as EventBridge Scheduler takes it, checked as Scheduler documents it and able
 * to say when it fires next, so a schedule that Intake accepts is one Scheduler accepts, and the local
 * scheduler fires at the times Scheduler would:
 *
 * <ul>
 *   <li>{@code rate(value unit)}: a positive whole value; unit {@code minute}, {@code hour} or
 *       {@code day} with 1, {@code minutes}, {@code hours} or {@code days} with more. A day is 24
 *       hours, also across a daylight-saving change.</li>
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}: minutes 0-59, hours 0-23,
 *       day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT (1 = SUN), year
 *       1970-2199; {@code ,} lists, {@code -} ranges, {@code *} every value, {@code /} steps (not in
 *       day-of-week); exactly one of day-of-month and day-of-week is {@code ?}. Day-of-month also takes
 *       {@code L} (last day), {@code nW} (weekday nearest to day n, within the month) and {@code LW};
 *       day-of-week {@code L} (7, Saturday), {@code nL} (last such day of the month) and {@code n#k}
 *       (the k-th such day of the month). These stand alone in their field.</li>
 *   <li>{@code at(yyyy-mm-ddThh:mm:ss)}: once, at that local time.</li>
 * </ul>
 *
 * <p>Times are evaluated in a time zone. As Scheduler does: a local time that daylight saving skips
 * does not fire, and one that it repeats fires once (the first time).
 */
public final class ScheduleExpression {
    /** The first and last year a cron expression can name. */
    static final int FIRST_YEAR = 1970;
    static final int LAST_YEAR = 2199;

    private static final Pattern RATE = Pattern.compile("rate\\(([0-9]+) ([a-z]+)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern AT = Pattern.compile("at\\((.*)\\)");
    private static final DateTimeFormatter AT_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Rates beyond this are surely a mistake (and would overflow): about 100 years. */
    private static final long MAX_RATE_MINUTES = 100L * 366 * 24 * 60;

    /** rate, cron or at. */
    public enum Kind { RATE, CRON, AT }

    private final String text;
    private final Kind kind;
    private final Duration rate;
    private final Cron cron;
    private final LocalDateTime at;

    private ScheduleExpression(String text, Kind kind, Duration rate, Cron cron, LocalDateTime at) {
        this.text = text;
        this.kind = kind;
        this.rate = rate;
        this.cron = cron;
        this.at = at;
    }

    /** @throws IntakeException INVALID_INPUT naming what is wrong */
    public static ScheduleExpression parse(String text) {
        if (text == null || text.isEmpty()) {
            throw IntakeException.invalid("A schedule needs an expression: rate(value unit), cron(fields) or"
                    + " at(yyyy-mm-ddThh:mm:ss)");
        }
        if (text.startsWith("rate(")) {
            return new ScheduleExpression(text, Kind.RATE, parseRate(text), null, null);
        }
        if (text.startsWith("cron(")) {
            Matcher m = CRON.matcher(text);
            if (!m.matches()) {
                throw invalid(text, "it must end with ')'");
            }
            return new ScheduleExpression(text, Kind.CRON, null, Cron.parse(text, m.group(1)), null);
        }
        if (text.startsWith("at(")) {
            Matcher m = AT.matcher(text);
            if (!m.matches()) {
                throw invalid(text, "it must end with ')'");
            }
            try {
                return new ScheduleExpression(text, Kind.AT, null, null, LocalDateTime.parse(m.group(1), AT_FORMAT));
            } catch (DateTimeParseException e) {
                throw invalid(text, "'" + m.group(1) + "' is not a date and time of the form yyyy-mm-ddThh:mm:ss");
            }
        }
        throw IntakeException.invalid("Schedule expression '" + text + "' is not rate(value unit), cron(fields) or"
                + " at(yyyy-mm-ddThh:mm:ss)");
    }

    private static Duration parseRate(String text) {
        Matcher m = RATE.matcher(text);
        if (!m.matches()) {
            throw invalid(text, "a rate is rate(value unit), e.g. rate(5 minutes): a positive whole value, one space,"
                    + " and minute(s), hour(s) or day(s)");
        }
        String digits = m.group(1);
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            value = Long.MAX_VALUE;
        }
        if (value < 1) {
            throw invalid(text, "the value must be a positive whole number");
        }
        String unit = m.group(2);
        long minutesPerUnit = switch (unit) {
            case "minute", "minutes" -> 1;
            case "hour", "hours" -> 60;
            case "day", "days" -> 24 * 60;
            default -> throw invalid(text, "the unit must be minute(s), hour(s) or day(s), not '" + unit + "'");
        };
        boolean singular = !unit.endsWith("s");
        if (value == 1 && !singular) {
            throw invalid(text, "with the value 1 the unit is singular: rate(1 " + unit.substring(0, unit.length() - 1) + ")");
        }
        if (value > 1 && singular) {
            throw invalid(text, "with a value above 1 the unit is plural: rate(" + value + " " + unit + "s)");
        }
        if (value > MAX_RATE_MINUTES / minutesPerUnit) {
            throw invalid(text, "the rate is longer than 100 years");
        }
        return Duration.ofMinutes(value * minutesPerUnit);
    }

    /**
     * An IANA time zone name ({@code UTC}, {@code Europe/Berlin}); offsets ({@code +02:00}) and
     * abbreviations are not.
     *
     * @throws IntakeException INVALID_INPUT naming it
     */
    public static ZoneId zone(String name) {
        if (name == null || !ZoneId.getAvailableZoneIds().contains(name)) {
            throw IntakeException.invalid("Time zone '" + name + "' is not an IANA time zone name (such as UTC,"
                    + " Europe/Berlin or America/New_York)");
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw IntakeException.invalid("Time zone '" + name + "' is not an IANA time zone name");
        }
    }

    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * When the schedule fires next, strictly after {@code after}, evaluated in {@code zone}; empty
     * when it never fires again (an at() time that passed, a cron expression whose years are over).
     * A rate counts from when the schedule started or last fired: pass that time as {@code after}.
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        return switch (kind) {
            case RATE -> Optional.of(after.plus(rate));
            case AT -> {
                ZonedDateTime when = ZonedDateTime.ofLocal(at, zone, null);
                yield when.toInstant().isAfter(after) ? Optional.of(when.toInstant()) : Optional.empty();
            }
            case CRON -> cron.nextAfter(after, zone);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleExpression other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static IntakeException invalid(String text, String problem) {
        return IntakeException.invalid("Schedule expression '" + text + "' is invalid: " + problem);
    }

    /** A parsed cron expression: which minutes, hours, months and years, and which days. */
    private record Cron(BitSet minutes, BitSet hours, BitSet months, BitSet years, Days days) {

        static Cron parse(String text, String body) {
            String[] fields = body.strip().split("\\s+");
            if (body.isBlank() || fields.length != 6) {
                throw invalid(text, "a cron expression has six fields (minutes hours day-of-month month day-of-week"
                        + " year), e.g. cron(0 8 ? * MON-FRI *); this one has " + (body.isBlank() ? 0 : fields.length));
            }
            BitSet minutes = new Field(text, "minutes", 0, 59, null, true).parse(fields[0]);
            BitSet hours = new Field(text, "hours", 0, 23, null, true).parse(fields[1]);
            BitSet months = new Field(text, "month", 1, 12, MONTHS, true).parse(fields[3]);
            BitSet years = new Field(text, "year", FIRST_YEAR, LAST_YEAR, null, true).parse(fields[5]);
            String dom = fields[2];
            String dow = fields[4];
            if (dom.equals("?") == dow.equals("?")) {
                throw invalid(text, "exactly one of day-of-month and day-of-week must be '?' (the other says which"
                        + " days), e.g. cron(0 8 * * ? *) or cron(0 8 ? * MON *)");
            }
            Days days = dow.equals("?") ? dayOfMonth(text, dom) : dayOfWeek(text, dow);
            return new Cron(minutes, hours, months, years, days);
        }

        private static Days dayOfMonth(String text, String dom) {
            if (dom.equals("L")) {
                return Days.LAST_DAY;
            }
            if (dom.equals("LW")) {
                return Days.LAST_WEEKDAY;
            }
            if (dom.endsWith("W")) {
                String n = dom.substring(0, dom.length() - 1);
                int day = new Field(text, "day-of-month", 1, 31, null, false).single(n, dom);
                return new Days(null, null, day, 0, 0, 0);
            }
            if (dom.contains("L") || dom.contains("W") || dom.contains("#")) {
                throw invalid(text, "day-of-month '" + dom + "': 'L', 'LW' and 'nW' stand alone in their field, and"
                        + " '#' belongs to day-of-week");
            }
            return new Days(new Field(text, "day-of-month", 1, 31, null, true).parse(dom), null, 0, 0, 0, 0);
        }

        private static Days dayOfWeek(String text, String dow) {
            Field field = new Field(text, "day-of-week", 1, 7, DAYS, false);
            if (dow.equals("L")) {
                BitSet saturday = new BitSet();
                saturday.set(7);
                return new Days(null, saturday, 0, 0, 0, 0);
            }
            int hash = dow.indexOf('#');
            if (hash >= 0) {
                int day = field.single(dow.substring(0, hash), dow);
                String k = dow.substring(hash + 1);
                if (!k.matches("[1-5]")) {
                    throw invalid(text, "day-of-week '" + dow + "': after '#' comes which such day of the month, 1 to 5");
                }
                return new Days(null, null, 0, day, Integer.parseInt(k), 0);
            }
            if (dow.endsWith("L")) {
                return new Days(null, null, 0, 0, 0, field.single(dow.substring(0, dow.length() - 1), dow));
            }
            if (dow.contains("L") || dow.contains("W")) {
                throw invalid(text, "day-of-week '" + dow + "': 'L', 'nL' and 'n#k' stand alone in their field, and"
                        + " 'W' belongs to day-of-month");
            }
            return new Days(null, field.parse(dow), 0, 0, 0, 0);
        }

        Optional<Instant> nextAfter(Instant after, ZoneId zone) {
            // Scheduler fires on the minute: the first candidate is the minute after the one `after` is in.
            LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate day = from.toLocalDate();
            LocalTime earliest = from.toLocalTime();
            while (day.getYear() <= LAST_YEAR) {
                if (day.getYear() < FIRST_YEAR || !years.get(day.getYear())) {
                    day = LocalDate.of(day.getYear() + 1, 1, 1);
                    earliest = LocalTime.MIDNIGHT;
                    continue;
                }
                if (!months.get(day.getMonthValue())) {
                    day = day.withDayOfMonth(1).plusMonths(1);
                    earliest = LocalTime.MIDNIGHT;
                    continue;
                }
                if (days.matches(day)) {
                    for (int h = hours.nextSetBit(earliest.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
                        int firstMinute = h == earliest.getHour() ? earliest.getMinute() : 0;
                        for (int m = minutes.nextSetBit(firstMinute); m >= 0; m = minutes.nextSetBit(m + 1)) {
                            LocalDateTime local = LocalDateTime.of(day, LocalTime.of(h, m));
                            if (zone.getRules().getValidOffsets(local).isEmpty()) {
                                continue; // skipped by daylight saving: this time does not happen today
                            }
                            Instant when = ZonedDateTime.ofLocal(local, zone, null).toInstant(); // the earlier of a repeated time
                            if (when.isAfter(after)) {
                                return Optional.of(when);
                            }
                        }
                    }
                }
                day = day.plusDays(1);
                earliest = LocalTime.MIDNIGHT;
            }
            return Optional.empty();
        }
    }

    /**
     * Which days of a month: a set of days of the month, a set of weekdays (1 = SUN), the weekday
     * nearest a day ({@code nW}), the k-th given weekday ({@code d#k}), the last given weekday
     * ({@code dL}), the last day ({@code L}) or the last weekday ({@code LW}).
     */
    private record Days(BitSet daysOfMonth, BitSet daysOfWeek, int nearestWeekdayTo, int nthWeekday, int nth,
                        int lastWeekdayOf) {
        static final Days LAST_DAY = new Days(null, null, -1, 0, 0, 0);
        static final Days LAST_WEEKDAY = new Days(null, null, -2, 0, 0, 0);

        boolean matches(LocalDate day) {
            int length = day.lengthOfMonth();
            int dom = day.getDayOfMonth();
            int dow = day.getDayOfWeek().getValue() % 7 + 1; // SUN = 1 ... SAT = 7
            if (daysOfMonth != null) {
                return daysOfMonth.get(dom);
            }
            if (daysOfWeek != null) {
                return daysOfWeek.get(dow);
            }
            if (nearestWeekdayTo == -1) {
                return dom == length;
            }
            if (nearestWeekdayTo == -2) {
                return dom == nearestWeekday(day.withDayOfMonth(length));
            }
            if (nearestWeekdayTo > 0) {
                // Only a day the month has: 31W fires in no month of 30 days.
                return nearestWeekdayTo <= length && dom == nearestWeekday(day.withDayOfMonth(nearestWeekdayTo));
            }
            if (nthWeekday > 0) {
                return dow == nthWeekday && (dom - 1) / 7 + 1 == nth;
            }
            return dow == lastWeekdayOf && dom + 7 > length;
        }

        /** The weekday nearest the date without leaving its month. */
        private static int nearestWeekday(LocalDate date) {
            int dom = date.getDayOfMonth();
            if (date.getDayOfWeek() == DayOfWeek.SATURDAY) {
                return dom == 1 ? 3 : dom - 1;
            }
            if (date.getDayOfWeek() == DayOfWeek.SUNDAY) {
                return dom == date.lengthOfMonth() ? dom - 2 : dom + 1;
            }
            return dom;
        }
    }

    /** One field of a cron expression: lists of values, ranges and steps within its bounds. */
    private record Field(String text, String name, int min, int max, List<String> names, boolean steps) {

        BitSet parse(String field) {
            BitSet values = new BitSet();
            if (field.isEmpty() || field.startsWith(",") || field.endsWith(",")) {
                throw problem(field, "an empty entry");
            }
            for (String part : field.split(",")) {
                if (part.isEmpty()) {
                    throw problem(field, "an empty entry");
                }
                element(field, part, values);
            }
            return values;
        }

        private void element(String field, String part, BitSet values) {
            if (part.equals("?")) {
                throw problem(field, "'?' stands alone, and only in day-of-month or day-of-week");
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                if (!steps) {
                    throw problem(field, "'/' steps are not allowed in " + name);
                }
                range = part.substring(0, slash);
                String increment = part.substring(slash + 1);
                if (!increment.matches("[0-9]{1,4}") || Integer.parseInt(increment) < 1 || Integer.parseInt(increment) > max) {
                    throw problem(field, "the step after '/' must be a whole number from 1 to " + max);
                }
                step = Integer.parseInt(increment);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                int dash = range.indexOf('-');
                from = value(field, range.substring(0, dash));
                to = value(field, range.substring(dash + 1));
            } else {
                from = value(field, range);
                to = slash >= 0 ? max : from; // "5/15": from 5 to the end, every 15
            }
            if (from <= to) {
                for (int v = from; v <= to; v += step) {
                    values.set(v);
                }
            } else if (name.equals("year")) {
                throw problem(field, "the range " + range + " runs backwards");
            } else {
                // A range that wraps (FRI-MON, 22-2): to the end, then on from the start.
                int span = max - min + 1;
                for (int i = 0; i <= (to + span - from); i += step) {
                    values.set(min + (from - min + i) % span);
                }
            }
        }

        /** One value, by number or (month, day-of-week) by name, within bounds. */
        int single(String value, String field) {
            return value(field, value);
        }

        private int value(String field, String value) {
            if (names != null) {
                int index = names.indexOf(value.toUpperCase(Locale.ROOT));
                if (index >= 0) {
                    return min + index;
                }
            }
            if (!value.matches("[0-9]{1,4}")) {
                throw problem(field, "'" + value + "' is not " + (names == null ? "a number" : "a number or one of "
                        + String.join(", ", names)));
            }
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw problem(field, value + " is outside " + min + "-" + max
                        + (name.equals("day-of-week") ? " (1 = SUN ... 7 = SAT)" : ""));
            }
            return number;
        }

        private IntakeException problem(String field, String what) {
            return invalid(text, name + " '" + field + "': " + what);
        }
    }
}
