package dev.intake.core;

import java.time.Duration;

/**
 * How far a running import has got, from what the store holds: the plan's totals (on the job) and
 * the first pass's chunks that stored their results (counted on the job as they are stored,
 * {@code JobStore.progress}: one small read whatever the number of chunks). Not from the workflow's
 * own state, so it holds however the chunks are fanned out.
 *
 * @param filesDone        the files read so far: an estimate, the files to read times the share of
 *                         bytes done (the store counts chunks, not which file each was of); all of
 *                         them once every byte is done
 * @param filesTotal       the files the plan reads (0 until the job is planned)
 * @param bytesDone        the bytes of the chunks done (exact)
 * @param bytesTotal       the planned bytes (0 until the job is planned)
 * @param rowsDone         the rows the chunks done read, valid or not (exact)
 * @param rowsTotal        an estimate of all the rows: the rows done scaled to every byte (0 until a
 *                         chunk is done; exact once every chunk is)
 * @param rowsPerSecond    rows done per second since the job started
 * @param secondsRemaining the time the rest of the first pass should take at the pace so far (rounded
 *                         up), -1 while no chunk is done (nothing to go by)
 */
public record ImportProgress(long filesDone, long filesTotal, long bytesDone, long bytesTotal, long rowsDone,
                             long rowsTotal, double rowsPerSecond, long secondsRemaining) {
    public static final long UNKNOWN = -1;

    /**
     * @param files   the files the plan reads
     * @param bytes   the planned bytes
     * @param chunks  the first pass's figures so far: bytes and rows of the chunks done
     * @param elapsed the time since the job started
     */
    static ImportProgress of(long files, long bytes, long bytesDone, long rowsDone, Duration elapsed) {
        long done = Math.min(bytes, bytesDone);
        double share = bytes <= 0 ? 0 : (double) done / bytes;
        long filesDone = bytes > 0 && done >= bytes ? files : (long) Math.floor(files * share);
        long rowsTotal = done <= 0 ? 0 : done >= bytes ? rowsDone : Math.round(rowsDone / share);
        long millis = Math.max(0, elapsed.toMillis());
        double rowsPerSecond = millis == 0 ? 0 : rowsDone * 1000.0 / millis;
        long remaining = done <= 0 ? UNKNOWN : (long) Math.ceil(millis / 1000.0 * (bytes - done) / done);
        return new ImportProgress(filesDone, files, done, bytes, rowsDone, rowsTotal, rowsPerSecond, remaining);
    }

    /** The share of the planned bytes done, 0 to 1 (0 before the job is planned). */
    public double fraction() {
        return bytesTotal <= 0 ? 0 : (double) bytesDone / bytesTotal;
    }
}
