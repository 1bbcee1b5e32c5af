package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EventBridge Scheduler's expressions: what is accepted, what is refused and why, and when each fires. */
class ScheduleExpressionTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** The next {@code count} fire times after {@code from} (local times of {@code zone}, ISO offset form). */
    private static List<String> times(String expression, String from, ZoneId zone, int count) {
        ScheduleExpression e = ScheduleExpression.parse(expression);
        List<String> out = new ArrayList<>();
        Instant at = ZonedDateTime.parse(from).toInstant();
        for (int i = 0; i < count; i++) {
            var next = e.nextAfter(at, zone);
            if (next.isEmpty()) {
                break;
            }
            at = next.get();
            out.add(ZonedDateTime.ofInstant(at, zone).toOffsetDateTime().toString());
        }
        return out;
    }

    @Test
    void ratesCountFromTheLastRunInMinutesHoursAndDaysOf24Hours() {
        assertThat(times("rate(5 minutes)", "2026-01-01T00:00:30Z", UTC, 3))
                .containsExactly("2026-01-01T00:05:30Z", "2026-01-01T00:10:30Z", "2026-01-01T00:15:30Z");
        assertThat(times("rate(1 hour)", "2026-01-01T00:00Z", UTC, 2)).containsExactly("2026-01-01T01:00Z", "2026-01-01T02:00Z");
        // A day is 24 hours, also across the spring change in Berlin: 10:00 CET is 11:00 CEST a day later.
        assertThat(times("rate(1 day)", "2026-03-28T10:00+01:00[Europe/Berlin]", BERLIN, 1))
                .containsExactly("2026-03-29T11:00+02:00");
        assertThat(ScheduleExpression.parse("rate(2 days)").kind()).isEqualTo(ScheduleExpression.Kind.RATE);
    }

    @Test
    void cronFieldsListsRangesAndSteps() {
        assertThat(times("cron(0 8 * * ? *)", "2026-01-01T08:00Z", UTC, 2))
                .as("strictly after: 08:00 itself is not next").containsExactly("2026-01-02T08:00Z", "2026-01-03T08:00Z");
        assertThat(times("cron(*/15 * * * ? *)", "2026-01-01T10:07:59Z", UTC, 3))
                .containsExactly("2026-01-01T10:15Z", "2026-01-01T10:30Z", "2026-01-01T10:45Z");
        assertThat(times("cron(5/20 9-10 * * ? *)", "2026-01-01T00:00Z", UTC, 4))
                .containsExactly("2026-01-01T09:05Z", "2026-01-01T09:25Z", "2026-01-01T09:45Z", "2026-01-01T10:05Z");
        assertThat(times("cron(0,30 12 1,15 * ? *)", "2026-01-01T12:10Z", UTC, 3))
                .containsExactly("2026-01-01T12:30Z", "2026-01-15T12:00Z", "2026-01-15T12:30Z");
        // Weekdays by name (2026-01-02 is a Friday), and months by name.
        assertThat(times("cron(0 9 ? * MON-FRI *)", "2026-01-02T09:00Z", UTC, 2))
                .containsExactly("2026-01-05T09:00Z", "2026-01-06T09:00Z");
        assertThat(times("cron(0 0 1 JAN,jul ? *)", "2026-01-01T00:00Z", UTC, 2))
                .containsExactly("2026-07-01T00:00Z", "2027-01-01T00:00Z");
        // 1 = SUN ... 7 = SAT; a range that wraps round the week (FRI-MON).
        assertThat(times("cron(0 0 ? * 1 *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-01-04T00:00Z");
        assertThat(times("cron(0 0 ? * 7 *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-01-03T00:00Z");
        assertThat(times("cron(0 0 ? * FRI-MON *)", "2026-01-01T00:00Z", UTC, 5)).containsExactly(
                "2026-01-02T00:00Z", "2026-01-03T00:00Z", "2026-01-04T00:00Z", "2026-01-05T00:00Z", "2026-01-09T00:00Z");
        // Years: a range, and nothing after it.
        assertThat(times("cron(0 0 1 1 ? 2027-2028)", "2026-06-01T00:00Z", UTC, 5))
                .containsExactly("2027-01-01T00:00Z", "2028-01-01T00:00Z");
        // 31 fires only in months that have it.
        assertThat(times("cron(0 0 31 * ? *)", "2026-01-31T00:00Z", UTC, 2))
                .containsExactly("2026-03-31T00:00Z", "2026-05-31T00:00Z");
    }

    @Test
    void lastDaysNearestWeekdaysAndNthWeekdays() {
        assertThat(times("cron(0 18 L * ? *)", "2026-01-31T18:00Z", UTC, 3))
                .containsExactly("2026-02-28T18:00Z", "2026-03-31T18:00Z", "2026-04-30T18:00Z");
        assertThat(times("cron(0 18 L 2 ? *)", "2027-12-31T00:00Z", UTC, 1)).as("leap year").containsExactly("2028-02-29T18:00Z");
        // 2026-02-15 is a Sunday: 15W is Monday the 16th; 2026-08-01 is a Saturday: 1W is Monday the 3rd
        // (not Friday in July); 2026-05-31 is a Sunday: 31W is Friday the 29th.
        assertThat(times("cron(0 9 15W 2 ? *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-02-16T09:00Z");
        assertThat(times("cron(0 9 1W 8 ? *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-08-03T09:00Z");
        assertThat(times("cron(0 9 31W 5 ? *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-05-29T09:00Z");
        // LW: the last weekday; 2026-05-31 is a Sunday, so Friday the 29th.
        assertThat(times("cron(0 9 LW 5 ? *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-05-29T09:00Z");
        // 6L: the last Friday; 3#2: the second Tuesday; L alone: Saturday.
        assertThat(times("cron(15 10 ? * 6L *)", "2026-01-01T00:00Z", UTC, 2))
                .containsExactly("2026-01-30T10:15Z", "2026-02-27T10:15Z");
        assertThat(times("cron(0 9 ? * TUE#2 *)", "2026-01-01T00:00Z", UTC, 2))
                .containsExactly("2026-01-13T09:00Z", "2026-02-10T09:00Z");
        assertThat(times("cron(0 9 ? * 3#5 *)", "2026-01-01T00:00Z", UTC, 1)).as("months with a fifth Tuesday")
                .containsExactly("2026-03-31T09:00Z");
        assertThat(times("cron(0 9 ? * L *)", "2026-01-01T00:00Z", UTC, 1)).containsExactly("2026-01-03T09:00Z");
    }

    @Test
    void daylightSavingInBerlinSkipsTheMissingHourAndRunsARepeatedTimeOnce() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
        assertThat(times("cron(30 2 * * ? *)", "2026-03-28T03:00+01:00[Europe/Berlin]", BERLIN, 2))
                .containsExactly("2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00");
        assertThat(times("cron(0 1-4 29 3 ? 2026)", "2026-03-28T00:00Z", BERLIN, 5))
                .containsExactly("2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00");
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice and runs once, the first time.
        assertThat(times("cron(30 2 * * ? *)", "2026-10-24T03:00+02:00[Europe/Berlin]", BERLIN, 2))
                .containsExactly("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
        // From inside the second 02:xx hour, the first 02:30 has passed.
        assertThat(times("cron(30 2 * * ? *)", "2026-10-25T02:10+01:00[Europe/Berlin]", BERLIN, 1))
                .containsExactly("2026-10-26T02:30+01:00");
        // 09:00 local stays 09:00 local across the change: 08:00Z in winter, 07:00Z in summer.
        assertThat(ScheduleExpression.parse("cron(0 9 * * ? *)").nextAfter(Instant.parse("2026-03-29T00:00:00Z"), BERLIN))
                .contains(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(ScheduleExpression.parse("cron(0 9 * * ? *)").nextAfter(Instant.parse("2026-03-28T00:00:00Z"), BERLIN))
                .contains(Instant.parse("2026-03-28T08:00:00Z"));
    }

    @Test
    void atRunsOnceAtItsLocalTime() {
        ScheduleExpression at = ScheduleExpression.parse("at(2026-11-23T10:00:00)");
        assertThat(at.kind()).isEqualTo(ScheduleExpression.Kind.AT);
        assertThat(at.nextAfter(Instant.parse("2026-01-01T00:00:00Z"), BERLIN)).contains(Instant.parse("2026-11-23T09:00:00Z"));
        assertThat(at.nextAfter(Instant.parse("2026-11-23T09:00:00Z"), BERLIN)).isEmpty();
        assertThat(at.nextAfter(Instant.parse("2026-01-01T00:00:00Z"), UTC)).contains(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                            | A schedule needs an expression
            every 5 minutes               | is not rate(value unit), cron(fields) or at(yyyy-mm-ddThh:mm:ss)
            rate(5 minute)                | with a value above 1 the unit is plural: rate(5 minutes)
            rate(1 minutes)               | with the value 1 the unit is singular: rate(1 minute)
            rate(0 minutes)               | the value must be a positive whole number
            rate(-1 minutes)              | a rate is rate(value unit)
            rate(5 weeks)                 | the unit must be minute(s), hour(s) or day(s), not 'weeks'
            rate(5  minutes)              | a rate is rate(value unit)
            rate(99999999999999999999 days) | the rate is longer than 100 years
            cron(0 8 * * ?)               | a cron expression has six fields
            cron(0 8 * * ? * *)           | this one has 7
            cron(0 8 * * MON *)           | exactly one of day-of-month and day-of-week must be '?'
            cron(0 8 ? * ? *)             | exactly one of day-of-month and day-of-week must be '?'
            cron(60 8 * * ? *)            | minutes '60': 60 is outside 0-59
            cron(0 24 * * ? *)            | hours '24': 24 is outside 0-23
            cron(0 8 0 * ? *)             | day-of-month '0': 0 is outside 1-31
            cron(0 8 * 13 ? *)            | month '13': 13 is outside 1-12
            cron(0 8 * FOO ? *)           | month 'FOO': 'FOO' is not a number or one of JAN
            cron(0 8 ? * 8 *)             | day-of-week '8': 8 is outside 1-7 (1 = SUN ... 7 = SAT)
            cron(0 8 ? * 0 *)             | day-of-week '0': 0 is outside 1-7
            cron(0 8 * * ? 1969)          | year '1969': 1969 is outside 1970-2199
            cron(0 8 * * ? 2030-2027)     | year '2030-2027': the range 2030-2027 runs backwards
            cron(*/0 8 * * ? *)           | minutes '*/0': the step after '/' must be a whole number from 1 to 59
            cron(0 8 ? * MON/2 *)         | day-of-week 'MON/2': '/' steps are not allowed in day-of-week
            cron(0 8 ? * 2#6 *)           | after '#' comes which such day of the month, 1 to 5
            cron(0 8 L,15 * ? *)          | 'L', 'LW' and 'nW' stand alone in their field
            cron(0 8 ? * 1W *)            | 'W' belongs to day-of-month
            cron(0 8 1, * ? *)            | day-of-month '1,': an empty entry
            cron(0 8 * * ? *              | it must end with ')'
            at(2026-11-23 10:00:00)       | is not a date and time of the form yyyy-mm-ddThh:mm:ss
            at(2026-02-30T10:00:00)       | is not a date and time of the form yyyy-mm-ddThh:mm:ss
            """)
    void invalidExpressionsAreRefusedNamingTheProblem(String expression, String message) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining(message);
    }

    @Test
    void timeZonesAreIanaNames() {
        assertThat(ScheduleExpression.zone("Europe/Berlin")).isEqualTo(BERLIN);
        assertThat(ScheduleExpression.zone("UTC")).isEqualTo(ZoneId.of("UTC"));
        for (String bad : new String[] {"Mars/Olympus", "+02:00", "CEST", ""}) {
            assertThatThrownBy(() -> ScheduleExpression.zone(bad)).isInstanceOf(IntakeException.class)
                    .hasMessage("Time zone '" + bad + "' is not an IANA time zone name (such as UTC, Europe/Berlin or"
                            + " America/New_York)");
        }
        assertThat(SourceSchedule.of("rate(1 day)", null).timeZone()).isEqualTo(ZoneId.of("UTC"));
    }
}
