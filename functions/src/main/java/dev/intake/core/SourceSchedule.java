package dev.intake.core;

import java.time.ZoneId;

/**
 * When a data source runs by itself: a schedule expression (EventBridge Scheduler's rate, cron or
 * at) evaluated in a time zone.
 *
 * @param timeZone an IANA time zone; UTC when not given
 */
public record SourceSchedule(ScheduleExpression expression, ZoneId timeZone) {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

    public SourceSchedule {
        if (expression == null) {
            throw IntakeException.invalid("A schedule needs an expression");
        }
        timeZone = timeZone == null ? DEFAULT_ZONE : timeZone;
    }

    /**
     * A schedule from what a caller sent.
     *
     * @param timeZone null for UTC
     * @throws IntakeException INVALID_INPUT naming a bad expression or an unknown time zone
     */
    public static SourceSchedule of(String expression, String timeZone) {
        return new SourceSchedule(ScheduleExpression.parse(expression),
                timeZone == null ? DEFAULT_ZONE : ScheduleExpression.zone(timeZone));
    }
}
