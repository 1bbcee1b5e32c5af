package dev.intake.local.asl;

import com.dashjoin.jsonata.Jsonata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse),
 * and $eval, which Step Functions does not offer.
 */
final class AwsJsonataFunctions {
    private static final Set<String> HASH_ALGORITHMS = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    private AwsJsonataFunctions() {
    }

    static void bindTo(Jsonata.Frame frame) {
        frame.bind("partition", function((input, args) -> partition(list(args, 0), integer(args, 1, "$partition"))));
        frame.bind("range", function((input, args) -> range(number(args, 0, "$range"), number(args, 1, "$range"),
                number(args, 2, "$range"))));
        frame.bind("hash", function((input, args) -> hash(string(args, 0, "$hash"), string(args, 1, "$hash"))));
        frame.bind("random", function((input, args) -> args.isEmpty()
                ? ThreadLocalRandom.current().nextDouble()
                : new Random(integer(args, 0, "$random")).nextDouble()));
        frame.bind("uuid", function((input, args) -> UUID.randomUUID().toString()));
        frame.bind("parse", function((input, args) -> JsonValues.toJava(JsonValues.parse(string(args, 0, "$parse")))));
        frame.bind("eval", function((input, args) -> {
            throw new IllegalArgumentException("$eval is not available in Step Functions; use $parse");
        }));
    }

    private static Jsonata.JFunction function(Jsonata.JFunctionCallable body) {
        return new Jsonata.JFunction(body, null);
    }

    private static List<Object> partition(List<?> items, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("$partition: the chunk size must be a positive integer");
        }
        List<Object> chunks = new ArrayList<>();
        for (int start = 0; start < items.size(); start += (int) size) {
            chunks.add(new ArrayList<>(items.subList(start, (int) Math.min(items.size(), start + size))));
        }
        return chunks;
    }

    private static List<Object> range(double start, double end, double step) {
        if (step == 0 || (end - start) * step < 0) {
            throw new IllegalArgumentException("$range: the step must move from start towards end");
        }
        List<Object> values = new ArrayList<>();
        for (double value = start; step > 0 ? value <= end : value >= end; value += step) {
            values.add(value);
        }
        return values;
    }

    private static String hash(String data, String algorithm) throws NoSuchAlgorithmException {
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("$hash: algorithm must be one of " + HASH_ALGORITHMS);
        }
        byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static List<?> list(List<?> args, int index) {
        Object value = args.size() > index ? args.get(index) : null;
        return value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
    }

    private static String string(List<?> args, int index, String function) {
        if (args.size() > index && args.get(index) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(function + ": argument " + (index + 1) + " must be a string");
    }

    private static double number(List<?> args, int index, String function) {
        if (args.size() > index && args.get(index) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(function + ": argument " + (index + 1) + " must be a number");
    }

    private static long integer(List<?> args, int index, String function) {
        return (long) number(args, index, function); // Step Functions rounds towards zero
    }
}
