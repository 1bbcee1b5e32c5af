package dev.intake.core.format;

/**
 * Reading a short decimal (at most 15 significant digits, as prices and measurements usually are)
 * without the general parser, giving exactly its result: {@code m × 10^k} with {@code m < 10^15 < 2^53}
 * and {@code |k| <= 22} is one IEEE multiplication or division of two exactly representable
 * doubles, which rounds correctly as a full parser does (Clinger's fast path). The JSON Lines
 * reader and the schema's value conversion both read decimals through it.
 */
public final class ShortDecimals {
    /** At most this many significant digits make a short decimal. */
    public static final int MAX_DIGITS = 15;
    private static final long MAX_SIGNIFICAND = 1_000_000_000_000_000L; // 10^15
    /** Powers of ten exactly representable as doubles. */
    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    private ShortDecimals() {
    }

    /**
     * The double nearest {@code significand × 10^exponent}, or NaN when the fast path cannot tell it
     * (significand of 10^15 or more, or |exponent| beyond 22).
     */
    public static double value(long significand, int exponent) {
        if (significand < 0 || significand >= MAX_SIGNIFICAND || exponent < -22 || exponent > 22) {
            return Double.NaN;
        }
        double m = significand;
        return exponent >= 0 ? m * POWERS[exponent] : m / POWERS[-exponent];
    }
}
