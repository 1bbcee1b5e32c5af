package dev.intake.core;

/**
 * An object that arrived in S3 (from an ObjectCreated event notification), exactly the version that
 * arrived: an arrival-batch job imports this version (its ETag), not whatever the key holds later.
 *
 * @param key       the object key, decoded (notifications carry it URL-encoded)
 * @param versionId the version, in a versioned bucket; else null
 * @param sequencer S3's ordering of events on one key: a later write has a greater sequencer
 */
public record ObjectArrival(String bucket, String key, long size, String etag, String versionId, String sequencer) {
    /** Sequencers of one key compare after right-padding the shorter with zeros (S3's rule). */
    static final int SEQUENCER_WIDTH = 32;

    public ObjectArrival {
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw IntakeException.invalid("an object arrival names a bucket and a key");
        }
        if (sequencer == null || !sequencer.matches("[0-9A-Fa-f]{1," + SEQUENCER_WIDTH + "}")) {
            throw IntakeException.invalid("the arrival of s3://" + bucket + "/" + key
                    + " has no valid sequencer (a hex string of at most " + SEQUENCER_WIDTH + " digits): " + sequencer);
        }
        if (size < 0) {
            throw IntakeException.invalid("the arrival of s3://" + bucket + "/" + key + " has a negative size");
        }
        etag = etag == null ? null : unquotedEtag(etag);
        sequencer = normalize(sequencer);
    }

    /**
     * The sequencer in a form whose string order is S3's order: upper case, right-padded with zeros
     * to a fixed width (so stores can compare sequencers as plain strings).
     */
    public static String normalize(String sequencer) {
        StringBuilder s = new StringBuilder(sequencer.toUpperCase(java.util.Locale.ROOT));
        while (s.length() < SEQUENCER_WIDTH) {
            s.append('0');
        }
        return s.toString();
    }

    /** Whether this arrival is a later write of its key than one with {@code otherSequencer}. */
    public boolean isLaterThan(String otherSequencer) {
        return otherSequencer == null || sequencer.compareTo(normalize(otherSequencer)) > 0;
    }

    public String uri() {
        return DataLocation.uri(bucket, key);
    }

    /** An ETag without the quotes S3's HTTP headers put around it (notifications send it bare). */
    public static String unquotedEtag(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
