package dev.intake.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where imports may read from and which roles a job may name: a deployment setting, checked when a
 * job is created (and again when it is planned, for jobs created under an older setting). In AWS it
 * comes from the stack's context {@code importSources} and {@code importRoleArns} (environment
 * {@value #SOURCES_VARIABLE} and {@value #ROLES_VARIABLE}), and the ingest roles' IAM policies grant
 * exactly these sources and roles.
 *
 * <p>Matching is literal and strict: a source is a whole bucket ({@code s3://bucket/}) or a folder
 * ({@code s3://bucket/prefix/}, ending in a slash); a location is allowed when its bucket is the
 * source's bucket (bucket names are lowercase; any other form is not a bucket name) and its key
 * starts with the folder, so {@code s3://b/data/} allows {@code s3://b/data/x.csv} but not
 * {@code s3://b/database/x.csv} or the object {@code s3://b/data}. A location whose key has a
 * {@code .} or {@code ..} segment is refused whatever the sources. A role is allowed when it is
 * one of the listed ARNs, character for character; a job that names no role reads as Intake.
 *
 * @param sources  the buckets and folders imports may read
 * @param roleArns the roles a job may name in roleArn
 */
public record ImportAccess(List<Source> sources, Set<String> roleArns) {
    public static final String SOURCES_VARIABLE = "IMPORT_SOURCES";
    public static final String ROLES_VARIABLE = "IMPORT_ROLE_ARNS";
    /** What a deployment without the setting allows: nothing. */
    public static final ImportAccess NONE = new ImportAccess(List.of(), Set.of());

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /**
     * Characters of a source's folder: S3's "safe" key characters without {@code *} (a wildcard in
     * an IAM policy, as are {@code ?} and {@code ${...}}, which are refused too).
     */
    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9!_.'()/-]*");
    /** An IAM role ARN as Personalize's model takes it; no wildcards. */
    private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z\\d-]+:iam::\\d{12}:role/[A-Za-z0-9_+=,.@/-]+");

    public ImportAccess {
        sources = List.copyOf(sources);
        roleArns = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(roleArns)); // in the order given
        for (String role : roleArns) {
            if (!ROLE_ARN.matcher(role).matches()) {
                throw new IllegalArgumentException("'" + role + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>,"
                        + " no wildcards)");
            }
        }
    }

    /**
     * One bucket, or one folder of a bucket, that imports may read.
     *
     * @param prefix empty for the whole bucket, else a folder ending in a slash
     */
    public record Source(String bucket, String prefix) {
        public Source {
            if (!BUCKET.matcher(bucket).matches()) {
                throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name");
            }
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                throw new IllegalArgumentException("s3://" + bucket + "/" + prefix + " is not a folder: end it with a slash"
                        + " (s3://" + bucket + "/" + prefix + "/) to allow the objects under it, or name the whole bucket"
                        + " (s3://" + bucket + "/)");
            }
            if (!prefix.isEmpty() && (!FOLDER.matcher(prefix).matches()
                    || badSegment(prefix.substring(0, prefix.length() - 1), true))) {
                throw new IllegalArgumentException("s3://" + bucket + "/" + prefix + " is not a folder an import source may"
                        + " name: only letters, digits and ! - _ . ' ( ) between slashes, no empty, '.' or '..' segment");
            }
        }

        /** {@code s3://bucket/} or {@code s3://bucket/folder/}; {@code s3://bucket} is the whole bucket too. */
        public static Source parse(String uri) {
            if (uri == null || !uri.startsWith("s3://")) {
                throw new IllegalArgumentException("'" + uri + "' is not an S3 location (s3://bucket/ or s3://bucket/folder/)");
            }
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? new Source(rest, "") : new Source(rest.substring(0, slash), rest.substring(slash + 1));
        }

        /** Whether the location is this bucket, or under this folder, on a segment boundary. */
        public boolean covers(DataLocation location) {
            return location.bucket().equals(bucket) && location.key().startsWith(prefix);
        }

        public String uri() {
            return "s3://" + bucket + "/" + prefix;
        }
    }

    /** The setting as the environment holds it: comma-separated locations and role ARNs (either may be empty). */
    public static ImportAccess parse(String sources, String roleArns) {
        return new ImportAccess(entries(sources).stream().map(Source::parse).toList(), new LinkedHashSet<>(entries(roleArns)));
    }

    /** The settings' variables; a missing variable allows nothing. */
    public static ImportAccess fromEnvironment(java.util.Map<String, String> environment) {
        return parse(environment.get(SOURCES_VARIABLE), environment.get(ROLES_VARIABLE));
    }

    /** Comma-separated, spaces around entries ignored; an empty entry is a mistake. */
    public static List<String> entries(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("'" + list + "' has an empty entry");
            }
            entries.add(trimmed);
        }
        return entries;
    }

    /** This setting with more sources and roles (the local runtime's options add to its defaults). */
    public ImportAccess plus(Collection<Source> moreSources, Collection<String> moreRoles) {
        List<Source> allSources = new ArrayList<>(sources);
        allSources.addAll(moreSources);
        Set<String> allRoles = new LinkedHashSet<>(roleArns);
        allRoles.addAll(moreRoles);
        return new ImportAccess(allSources, allRoles);
    }

    /** The environment form of the sources (what {@link #parse} reads back). */
    public String sourcesValue() {
        return String.join(",", sources.stream().map(Source::uri).toList());
    }

    /**
     * Refuses, with an error the caller sees, a location outside the sources or a role not listed.
     * Runs before anything about the job is stored.
     */
    public void check(DataLocation location, String roleArn) {
        if (badSegment(location.key(), false)) {
            throw new IntakeException(ErrorKind.ACCESS_DENIED, "dataLocation " + location.uri()
                    + " has a '.' or '..' segment; name the objects by their plain key");
        }
        if (sources.stream().noneMatch(s -> s.covers(location))) {
            throw new IntakeException(ErrorKind.ACCESS_DENIED, "Imports of this deployment may not read " + location.uri()
                    + ": no allowed import source holds bucket '" + location.bucket() + "', key '" + location.key()
                    + "'. An operator can allow the bucket or a folder of it with the importSources setting");
        }
        if (roleArn != null && !roleArns.contains(roleArn)) {
            throw new IntakeException(ErrorKind.ACCESS_DENIED, "Import jobs of this deployment may not use the role "
                    + roleArn + ". An operator can allow it with the importRoleArns setting; a job without roleArn reads"
                    + " as Intake's own ingest roles");
        }
    }

    /** Whether a slash-separated path has a "." or ".." segment (or, if so asked, an empty one). */
    private static boolean badSegment(String path, boolean emptyToo) {
        return Arrays.stream(path.split("/", -1)).anyMatch(s -> s.equals(".") || s.equals("..") || (emptyToo && s.isEmpty()));
    }
}
