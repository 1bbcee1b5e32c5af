package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PageTokensTest {
    private final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
    private final Instant now = Instant.parse("2026-11-23T12:00:00Z");

    private PageTokens at(Instant instant) {
        return new PageTokens(key, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void roundTripsThePosition() {
        String token = at(now).issue("ListDatasets", "items|with|bars");
        assertThat(token).doesNotContain("items");
        assertThat(at(now.plusSeconds(60)).open("ListDatasets", token)).isEqualTo("items|with|bars");
    }

    @Test
    void refusesAlteredForeignOrExpiredTokens() {
        String token = at(now).issue("ListDatasets", "b");
        char first = token.charAt(0);
        String altered = (first == 'A' ? 'B' : 'A') + token.substring(1);
        char last = token.charAt(token.length() - 1);
        String respelled = token.substring(0, token.length() - 1) + (char) (last ^ 1); // same bytes, other spare bits
        assertThatThrownBy(() -> at(now).open("ListDatasets", respelled)).isInstanceOf(IntakeException.class);
        assertThatThrownBy(() -> at(now).open("ListDatasets", altered)).isInstanceOf(IntakeException.class)
                .extracting(e -> ((IntakeException) e).kind()).isEqualTo(ErrorKind.INVALID_NEXT_TOKEN);
        assertThatThrownBy(() -> at(now).open("ListDatasets?status=ACTIVE", token))
                .hasMessageContaining("not valid for this request");
        assertThatThrownBy(() -> at(now.plus(Duration.ofHours(24)).plusSeconds(1)).open("ListDatasets", token))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> at(now).open("ListDatasets", "garbage")).hasMessageContaining("not valid");
        assertThatThrownBy(() -> new PageTokens("another key of 32 bytes........!".getBytes(), Clock.fixed(now, ZoneOffset.UTC))
                .open("ListDatasets", token)).hasMessageContaining("not valid");
    }
}
