package dev.intake.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where a pass of an import lists its chunks for the state machine: a JSON Lines object in the
 * results bucket, one chunk (as {@link PlanCodec#chunk(ChunkTask)} writes it) per line, which a
 * Distributed Map reads with its ItemReader. Only its location and the count travel through the
 * state machine, so the payload stays the same size however many files an import reads.
 *
 * @param key    null when the pass has no chunks (nothing was written)
 * @param chunks how many lines the manifest has
 */
public record ChunkManifest(String bucket, String key, int chunks) {
    /** Where manifests go in the results bucket ({@code <prefix><job>/pass-<pass>.jsonl}). */
    public static final String PREFIX = "manifests/";

    static String key(String jobName, int pass) {
        return PREFIX + jobName + "/pass-" + pass + ".jsonl";
    }

    /** The manifest's bytes: one JSON object per chunk, each on its own line ending in \n. */
    static byte[] jsonLines(List<ChunkTask> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunks.size() * 200);
        try {
            for (ChunkTask chunk : chunks) {
                out.write(PlanCodec.chunk(chunk).toString().getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }
}
