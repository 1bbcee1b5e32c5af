package dev.intake.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * NextToken values: opaque to callers, signed (a changed token is refused), bound to the listing
 * and filters they came from, and valid for 24 hours.
 */
public final class PageTokens {
    static final Duration LIFETIME = Duration.ofHours(24);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public PageTokens(byte[] secret, Clock clock) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
    }

    /** @param scope the operation and its filters, e.g. "ListDatasets" */
    public String issue(String scope, String lastKey) {
        long expires = clock.instant().plus(LIFETIME).toEpochMilli();
        String payload = expires + "|" + lastKey;
        String body = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return body + "." + ENCODER.encodeToString(sign(scope, body));
    }

    /** The position a token stands for; INVALID_NEXT_TOKEN if it was altered, is from elsewhere or expired. */
    public String open(String scope, String token) {
        int dot = token.indexOf('.');
        if (dot < 0) {
            throw invalid();
        }
        String body = token.substring(0, dot);
        byte[] signature;
        String payload;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
            payload = new String(DECODER.decode(body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        // Base64 ignores the spare bits of its last character: insist on the one canonical spelling.
        if (!MessageDigest.isEqual(signature, sign(scope, body))
                || !ENCODER.encodeToString(signature).equals(token.substring(dot + 1))) {
            throw invalid();
        }
        int bar = payload.indexOf('|');
        long expires = Long.parseLong(payload.substring(0, bar));
        if (clock.millis() > expires) {
            throw new IntakeException(ErrorKind.INVALID_NEXT_TOKEN, "The next token has expired; list again from the start");
        }
        return payload.substring(bar + 1);
    }

    private byte[] sign(String scope, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present", e);
        }
    }

    private static IntakeException invalid() {
        return new IntakeException(ErrorKind.INVALID_NEXT_TOKEN,
                "The next token is not valid for this request; pass the nextToken of the previous response unchanged, with the same filters");
    }
}
