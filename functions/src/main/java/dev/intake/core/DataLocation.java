package dev.intake.core;

/**
 * Where an import reads from: one object (s3://bucket/key) or every object under a folder
 * (s3://bucket/prefix/, ending in a slash).
 */
public record DataLocation(String bucket, String key) {
    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public static DataLocation parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw IntakeException.invalid("dataLocation must be an S3 URI of the form s3://bucket/key or s3://bucket/folder/, got '"
                    + uri + "'");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw IntakeException.invalid("dataLocation names an invalid bucket '" + bucket + "'");
        }
        return new DataLocation(bucket, key);
    }

    /** A folder (or the whole bucket) rather than a single object. */
    public boolean isFolder() {
        return key.isEmpty() || key.endsWith("/");
    }

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    public static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }
}
