package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A running import's progress (DescribeImportJob's {@code progress}) as one line: a bar of the bytes
 * done, then files, bytes and rows done of the total, rows/s and the time left. On a terminal the line
 * is redrawn in place; otherwise (a file, a pipe, a CI log) each change is a line of its own.
 */
final class ProgressLine {
    static final int BAR_WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private String shown = "";
    /** Whether a line drawn in place is still open, and how long it is. */
    private boolean open;
    private int shownLength;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows the progress read at {@code seconds} since the import started, if it changed. */
    void show(double seconds, JsonNode progress) {
        String line = render(progress);
        // a log gets a line when work got done, not each time the pace or the time left moves
        String key = terminal ? line : progress.path("bytesTotal").asLong() + "/" + progress.path("bytesDone").asLong()
                + "/" + progress.path("rowsDone").asLong();
        if (key.equals(shown)) {
            return;
        }
        String text = String.format(Locale.ROOT, "   %6.2f s  %s", seconds, line);
        if (terminal) {
            // redrawn in place: back to the line's start, and blanks over what a longer line left
            int previous = open ? shownLength : 0;
            out.print("\r" + text + " ".repeat(Math.max(0, previous - text.length())));
            shownLength = text.length();
            open = true;
        } else {
            out.println(text);
        }
        out.flush();
        shown = key;
    }

    /** Ends a line drawn in place, so what follows starts on a line of its own. */
    void end() {
        if (open) {
            out.println();
            open = false;
        }
    }

    /** "[######------------------]  25%  1/4 files  0.3/1.0 MB  10,000/~40,000 rows  100 rows/s  ETA 5:00". */
    static String render(JsonNode p) {
        long bytesDone = p.path("bytesDone").asLong();
        long bytesTotal = p.path("bytesTotal").asLong();
        if (bytesTotal <= 0) {
            return "[" + " ".repeat(BAR_WIDTH) + "]  listing and checking the files";
        }
        int filled = (int) (BAR_WIDTH * bytesDone / bytesTotal);
        StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled))
                .append(']');
        line.append(String.format(Locale.ROOT, " %3d%%  %,d/%,d files  %.1f/%.1f MB  %,d", bytesDone * 100 / bytesTotal,
                p.path("filesDone").asLong(), p.path("filesTotal").asLong(), bytesDone / 1e6, bytesTotal / 1e6,
                p.path("rowsDone").asLong()));
        long rowsTotal = p.path("rowsTotalEstimated").asLong();
        if (rowsTotal > 0) {
            line.append(bytesDone >= bytesTotal ? "/" : "/~").append(String.format(Locale.ROOT, "%,d", rowsTotal));
        }
        line.append(" rows");
        if (p.has("estimatedSecondsRemaining")) {
            long eta = p.get("estimatedSecondsRemaining").asLong();
            line.append(String.format(Locale.ROOT, "  %,.0f rows/s  ETA %d:%02d", p.path("rowsPerSecond").asDouble(),
                    eta / 60, eta % 60));
        }
        return line.toString();
    }
}
