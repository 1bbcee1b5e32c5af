package dev.intake.core.format;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test files: random CSV mixing every construct the scanner knows, and a file's bytes by range. */
final class HostileFiles {
    private HostileFiles() {
    }

    /** A file in memory that counts what is read of it. */
    static final class Bytes implements ByteRanges {
        final byte[] file;
        final List<String> opened = new ArrayList<>();
        long bytesOpened;

        Bytes(byte[] file) {
            this.file = file;
        }

        @Override
        public long size() {
            return file.length;
        }

        @Override
        public InputStream open(long from, long to) {
            if (from < 0 || to > file.length || from > to) {
                throw new IllegalArgumentException("range " + from + "-" + to + " of " + file.length + " bytes");
            }
            opened.add(from + "-" + to);
            bytesOpened += to - from;
            return new ByteArrayInputStream(file, (int) from, (int) (to - from));
        }
    }

    /** A CSV file mixing every construct: quotes, escaped quotes, commas and newlines in quotes, blank lines. */
    static String randomCsv(Random random) {
        StringBuilder csv = new StringBuilder(random.nextInt(5) == 0 ? "\uFEFF" : "");
        if (random.nextInt(5) == 0) {
            csv.append(pick(random, "\n", "\r\n", " \n"));
        }
        int columns = 1 + random.nextInt(4);
        for (int c = 0; c < columns; c++) {
            csv.append(c > 0 ? "," : "").append(random.nextBoolean() ? "c" + c : "\"c,\"\"" + c + "\"");
        }
        csv.append(recordEnd(random));
        for (int r = random.nextInt(25); r > 0; r--) {
            if (random.nextInt(8) == 0) {
                csv.append(pick(random, "", " ", "\t")).append(recordEnd(random));
                continue;
            }
            int fields = random.nextInt(10) == 0 ? columns + random.nextInt(3) - 1 : columns;
            for (int f = 0; f < Math.max(fields, 1); f++) {
                csv.append(f > 0 ? "," : "").append(randomField(random));
            }
            csv.append(recordEnd(random));
        }
        if (random.nextInt(4) == 0) { // no trailing newline
            csv.setLength(csv.length() - (csv.toString().endsWith("\r\n") ? 2 : 1));
        }
        if (random.nextInt(15) == 0) {
            csv.append("x,\"unterminated\n, \"\"still open");
        }
        return csv.toString();
    }

    private static String randomField(Random random) {
        if (random.nextInt(12) == 0) { // broken quoting: stray, unterminated, text after the close
            return pick(random, "5'10\" tall", "\"open", "\"a\nb\"c", "\"x\"y", "\"", "a\"\"b", "\"\"\"", "\"a\n\n");
        }
        if (random.nextInt(3) > 0) {
            return pick(random, "", "plain", "1.5", "é😀", " spaced ", "a much longer plain value than the others");
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int piece = random.nextInt(5); piece > 0; piece--) {
            quoted.append(pick(random, "a", ",", "\"\"", "\n", "\r\n", "\r", " ", "é", "😀", "\n\n"));
        }
        return quoted.append('"').toString();
    }

    private static String recordEnd(Random random) {
        return random.nextInt(10) == 0 ? "\r" : random.nextBoolean() ? "\n" : "\r\n";
    }

    /** JSON Lines with blank lines, CRLF, bad JSON, multi-byte characters and a BOM-like start of line. */
    static String randomJsonLines(Random random) {
        StringBuilder jsonLines = new StringBuilder(random.nextInt(5) == 0 ? "\uFEFF" : "");
        for (int line = random.nextInt(30); line > 0; line--) {
            jsonLines.append(pick(random, "{\"a\":1,\"b\":\"x\\ny\"}", "", "  ", "{\"a\":", "[1]", "{\"é\":\"😀\"}", "{}",
                    "\uFEFF{\"a\":2}", "{\"a\":\"\r\"}", "\r")).append(pick(random, "\n", "\r\n"));
        }
        if (random.nextInt(4) == 0 && jsonLines.length() > 0) {
            jsonLines.setLength(jsonLines.length() - 1);
        }
        return jsonLines.toString();
    }

    static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
