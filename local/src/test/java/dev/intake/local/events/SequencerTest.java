package dev.intake.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencerTest {
    @Test
    void increasesWithinAMillisecondWhenTheClockGoesBackAndAcrossARestart() {
        Instant start = Instant.parse("2025-03-01T10:00:00Z");
        MutableClock clock = new MutableClock(start);
        Sequencer sequencer = new Sequencer(clock);
        List<String> issued = new ArrayList<>();
        issued.add(sequencer.next());
        issued.add(sequencer.next()); // same millisecond
        clock.advance(java.time.Duration.ofMillis(-5)); // the clock stepped back
        issued.add(sequencer.next());
        clock.advance(java.time.Duration.ofSeconds(1));
        issued.add(sequencer.next());
        // A restart: a new sequencer, a later clock.
        clock.advance(java.time.Duration.ofMillis(1));
        issued.add(new Sequencer(clock).next());
        for (int i = 1; i < issued.size(); i++) {
            assertThat(Sequencer.compare(issued.get(i), issued.get(i - 1))).as(issued.toString()).isPositive();
            assertThat(issued.get(i).compareTo(issued.get(i - 1))).as("also as plain strings: one length").isPositive();
        }
        assertThat(issued.get(0)).as("the clock's milliseconds, then the counter")
                .isEqualTo(String.format("%012X000000", start.toEpochMilli()));
        assertThat(issued.get(2)).as("the clock went back: the counter goes on").isEqualTo(
                String.format("%012X000002", start.toEpochMilli()));
    }

    @Test
    void comparesAsS3DocumentsShorterRightPaddedWithZeros() {
        assertThat(Sequencer.compare("0055AED6DCD90281E5", "0055AED6DCD90281E5")).isZero();
        assertThat(Sequencer.compare("0055AED6DCD90281E5", "0055AED6DCD9028")).isPositive();
        assertThat(Sequencer.compare("0055AED6DCD90281", "0055AED6DCD9028100")).isZero();
        assertThat(Sequencer.compare("0055AED6DCD90280", "0055AED6DCD90281E5")).isNegative();
        assertThat(Sequencer.compare("1", "0FFFFFFFFF")).isPositive();
    }
}
