package dev.intake.core.schema;

import dev.intake.core.format.ShortDecimals;

/**
 * Doubles that are short decimals (at most 15 significant digits, as prices and measurements
 * usually are), read and written without the general algorithms, giving exactly their results.
 *
 * <p>Why it is exact: reading is {@link ShortDecimals#value} (Clinger's fast path). And two different decimals of at most 15 significant digits never round to the same normal
 * double (their spacing, 10^-14 of their decade, is wider than a double's ulp there, at most
 * 2.3 × 10^-15 of it), so when such a decimal rounds to a double it is the shortest decimal that
 * does, the one Schubfach ({@code Double.toString} on JDK 19 and later) writes.
 */
final class ShortDoubles {
    /** The longest {@link #writePlain} output: a sign, 15 digits, a point and "0." before them. */
    static final int MAX_PLAIN_CHARS = 24;
    /** At most this many significant digits make a short decimal. */
    static final int MAX_DIGITS = ShortDecimals.MAX_DIGITS;
    private static final long MAX_SIGNIFICAND = 1_000_000_000_000_000L; // 10^15
    /** Powers of ten exactly representable as doubles. */
    private static final double[] POWERS = new double[23];
    private static final long[] LONG_POWERS = new long[19];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
        long l = 1;
        for (int i = 0; i < LONG_POWERS.length; i++) {
            LONG_POWERS[i] = l;
            l *= 10;
        }
    }

    private ShortDoubles() {
    }

    /**
     * The double nearest {@code significand × 10^exponent}, or NaN when the fast path cannot tell it
     * (significand of 10^15 or more, or |exponent| beyond 22).
     */
    static double value(long significand, int exponent) {
        return ShortDecimals.value(significand, exponent);
    }

    /**
     * Writes {@code v} as Schubfach writes it when {@code 10^-3 <= |v| < 10^7} (plain notation, at
     * least one fraction digit) and it is a decimal of at most 15 significant digits; returns the
     * position after it, or -1 having written nothing meaningful when the general writer must do it.
     */
    static int writePlain(double v, byte[] out, int at) {
        double a = Math.abs(v);
        if (!(a >= 1e-3 && a < 1e7)) {
            return -1; // E notation, zero, NaN, infinities
        }
        for (int k = 0; k <= 18; k++) {
            double scaled = a * POWERS[k];
            if (scaled >= MAX_SIGNIFICAND) {
                return -1;
            }
            long m = (long) (scaled + 0.5);
            // When m·10^-k rounds to a, a·10^k is within 2^-52 of m (relative): a cheap test, before
            // the division that decides, that skips the powers that cannot be it.
            if (Math.abs(scaled - m) <= scaled * 0x1p-50 && m / POWERS[k] == a) { // the shortest decimal (see above)
                return writeDecimal(v < 0, m, k, out, at);
            }
        }
        return -1;
    }

    /** {@code m · 10^-k} in plain notation with at least one fraction digit. */
    private static int writeDecimal(boolean negative, long m, int k, byte[] out, int at) {
        while (k > 0 && m % 10 == 0) {
            m /= 10;
            k--;
        }
        if (negative) {
            out[at++] = '-';
        }
        long whole = m / LONG_POWERS[k];
        long fraction = m - whole * LONG_POWERS[k];
        at = writeDigits(whole, out, at);
        out[at++] = '.';
        if (k == 0) {
            out[at++] = '0';
            return at;
        }
        for (int i = k - 1; i >= 0; i--) { // leading zeros of the fraction included
            out[at + i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        return at + k;
    }

    private static int writeDigits(long value, byte[] out, int at) {
        int digits = 1;
        while (digits < LONG_POWERS.length && value >= LONG_POWERS[digits]) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }
}
