package dev.intake.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentValuesTest {
    @Test
    void aValueRepeatsOnlyIfItWasRecordedAndMostRepeatsOfAFewValuesAreFound() {
        RecentValues recent = new RecentValues(16);
        Set<Long> numbers = new HashSet<>();
        Set<String> strings = new HashSet<>();
        Random random = new Random(11);
        int numberHits = 0;
        int stringHits = 0;
        for (int i = 0; i < 20_000; i++) {
            long n = random.nextInt(12) * 1_000_003L;
            boolean repeats = recent.repeats(n);
            assertThat(!repeats || numbers.contains(n)).as("%d repeats only if seen", n).isTrue();
            numbers.add(n);
            numberHits += repeats ? 1 : 0;
            // 40 strings in 16 slots: many share a slot; equality, not the slot, decides
            String s = "value-" + random.nextInt(40);
            boolean again = recent.repeats(s);
            assertThat(!again || strings.contains(s)).as("%s repeats only if seen", s).isTrue();
            strings.add(s);
            stringHits += again ? 1 : 0;
        }
        assertThat(numberHits).isGreaterThan(10_000);
        assertThat(stringHits).isGreaterThan(2_000);
    }

    @Test
    void equalStringsThatAreDistinctObjectsRepeatAndLongOnesAreNotKept() {
        RecentValues recent = new RecentValues(64);
        assertThat(recent.repeats(new String("caf\u00e9"))).isFalse();
        assertThat(recent.repeats(new String("caf\u00e9"))).isTrue();
        assertThat(recent.repeats("")).isFalse();
        assertThat(recent.repeats("")).isTrue();
        String longer = "x".repeat(RecentValues.MAX_STRING + 1);
        assertThat(recent.repeats(longer)).isFalse();
        assertThat(recent.repeats(longer)).isFalse();
        // strings and numbers are kept apart
        assertThat(recent.repeats(7L)).isFalse();
        assertThat(recent.repeats(7L)).isTrue();
        assertThat(recent.repeats("7")).isFalse();
    }

    @Test
    void aFieldWhoseValuesDoNotRepeatStopsLookingForAWhileThenTriesAgain() {
        RecentValues recent = new RecentValues(512);
        for (long i = 0; i < RecentValues.TRIAL; i++) {
            assertThat(recent.repeats(i)).isFalse();
        }
        // paused: even a value just seen is not looked for
        for (int i = 0; i < RecentValues.PAUSE; i++) {
            assertThat(recent.repeats(5L)).isFalse();
        }
        recent.repeats(9L);
        assertThat(recent.repeats(9L)).as("looking again after the pause").isTrue();
    }

    @Test
    void slotsShrinkForWideSchemas() {
        assertThat(RecentValues.slotsFor(8)).isEqualTo(512);
        assertThat(RecentValues.slotsFor(600)).isEqualTo(16);
        assertThat(RecentValues.slotsFor(100)).isEqualTo(128);
    }

    @Test
    void aThousandNumbersCyclingAreMostlyFoundWithTheSlotsOfANarrowSchema() {
        RecentValues recent = new RecentValues(RecentValues.slotsFor(8));
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            hits += recent.repeats(i % 1000) ? 1 : 0;
        }
        assertThat(hits).isGreaterThan(50_000);
    }
}
