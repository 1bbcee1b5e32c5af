package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.DataLocation;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportTrigger;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.ObjectArrival;
import dev.intake.core.format.DataFormat;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.DataZoneStore.Kind;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.ports.Page;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DataZone's data source runs on Intake's engine. A run lists its source's folder and compares each
 * object's ETag with the one the source's runs last imported (its SOURCE_OBJECTS entries): only new
 * objects (added) and changed ones (updated) are imported, by one import job of exactly those object
 * versions ({@code JobStore.putJobObjects}); unchanged ones are not read again, and objects of a
 * format Intake cannot read fail without stopping the others. With nothing to import the run ends
 * at once, with no job.
 *
 * <p>A run with a job follows it: REQUESTED while the job is pending, RUNNING while it runs, then
 * SUCCESS (PARTIALLY_SUCCEEDED if some objects failed) or FAILED. The run is brought up to date
 * whenever it is read or its source is run again; when its job has ended, the imported objects'
 * ETags are recorded for the source (only for a job that succeeded) and the run is final.
 */
final class DataZoneRuns {
    /** DataZone's Name members (database, technicalName) hold at most this many characters. */
    static final int MAX_NAME = 256;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Services services;
    private final DataZoneStore store;
    private final SecureRandom random = new SecureRandom();

    DataZoneRuns(Services services) {
        this.services = services;
        this.store = services.dataZone;
    }

    /** {@code <length> random letters and digits}. */
    String randomId(int length) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /**
     * A run id: its data source's id, then the time in base 36 (fixed width, so a source's runs list
     * in the order they started) and random letters; at most 36 characters, and a valid job name.
     */
    String newRunId(String dataSourceId, Instant at) {
        String time = Long.toString(at.toEpochMilli(), 36);
        return dataSourceId + "-" + "0".repeat(Math.max(0, 9 - time.length())) + time + randomId(4);
    }

    /** The tag of a saved source that is a DataZone data source: its domain. */
    static final String DOMAIN_TAG = "datazone:domain";
    /** The end of a scheduled run's id (a run by hand ends in 4 random letters or digits). */
    private static final String SCHEDULED_SUFFIX = "schd";

    /** Starts a run of the source by hand (PRIORITIZED); answers its document. */
    ObjectNode start(DataZoneStore.Entry sourceEntry) {
        ObjectNode source = DataZoneOperation.document(sourceEntry);
        Instant now = services.clock.instant();
        return start(sourceEntry, "PRIORITIZED", newRunId(source.get("id").asText(), now));
    }

    /**
     * The scheduled run of a DataZone data source (a saved source tagged with its domain) due at
     * {@code scheduledTime}: its id comes from that time, so a retried invocation finds the run it
     * started. Empty if the saved source is not DataZone's; a run already in progress means none is
     * started (the reason is answered).
     */
    static Optional<ObjectNode> runScheduled(Services services, DataSource intake, Instant scheduledTime) {
        String domainId = intake.tags().get(DOMAIN_TAG);
        if (domainId == null || services.dataZone == null) {
            return Optional.empty();
        }
        DataZoneRuns runs = new DataZoneRuns(services);
        String time = Long.toString(scheduledTime.toEpochMilli(), 36);
        String runId = intake.name() + "-" + "0".repeat(Math.max(0, 9 - time.length())) + time + SCHEDULED_SUFFIX;
        Optional<DataZoneStore.Entry> started = services.dataZone.find(Kind.RUN, domainId + "/" + runId);
        if (started.isPresent()) {
            return Optional.of(runs.refresh(started.get()));
        }
        Optional<DataZoneStore.Entry> source = services.dataZone.find(Kind.DATA_SOURCE, domainId + "/" + intake.name());
        if (source.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(runs.start(source.get(), "SCHEDULED", runId));
    }

    /** Starts a run (PRIORITIZED by hand, SCHEDULED by its schedule); answers its document. */
    private ObjectNode start(DataZoneStore.Entry sourceEntry, String type, String runId) {
        ObjectNode source = DataZoneOperation.document(sourceEntry);
        String domainId = source.get("domainId").asText();
        String sourceId = source.get("id").asText();
        for (DataZoneStore.Entry earlier : store.list(Kind.RUN, domainId + "/" + sourceId + "-", null, 1000).items()) {
            ObjectNode run = refresh(earlier);
            if (!run.path("_final").asBoolean()) {
                throw new IntakeException(ErrorKind.CONFLICT, "Data source '" + sourceId + "' has a run in progress ("
                        + run.get("id").asText() + "); start another when it has ended");
            }
        }
        DataSource intake = services.sources.describe(sourceId);
        Instant now = services.clock.instant();
        DataLocation location = intake.location();
        List<StoredObject> listed;
        try {
            listed = services.objects.forJob(runId, intake.roleArn(), location).list(location.bucket(), location.key())
                    .stream().filter(o -> !o.key().endsWith("/")).toList();
        } catch (ObjectStoreException e) {
            if (e.isTransient()) {
                throw e; // S3 busy or unreachable: an internal error the caller may retry
            }
            throw new IntakeException(ErrorKind.ACCESS_DENIED, "Could not list " + location.uri() + ": " + e.getMessage());
        }
        Map<String, String> lastImported = importedEtags(sourceId);
        Map<String, ObjectNode> activities = new LinkedHashMap<>();
        List<ObjectArrival> toImport = new ArrayList<>();
        for (StoredObject object : listed) {
            ObjectNode activity = Json.MAPPER.createObjectNode();
            activities.put(activityName(domainId + "/" + runId, activities.size()), activity);
            activity.put("database", location.bucket());
            activity.put("technicalName", technicalName(object.key()));
            activity.put("technicalDescription", DataLocation.uri(object.bucket(), object.key()));
            activity.put("_key", object.key());
            activity.put("_etag", object.etag() == null ? null : ObjectArrival.unquotedEtag(object.etag()));
            String previous = lastImported.get(object.key());
            if (DataFormat.forKey(object.key()).isEmpty()) {
                activity.put("dataAssetStatus", "FAILED");
                activity.set("errorMessage", error("VALIDATION_EXCEPTION", DataLocation.uri(object.bucket(), object.key())
                        + " is not of a format Intake reads: use .csv or .jsonl (.json, .ndjson), optionally"
                        + " gzip-compressed (.gz), or .parquet"));
            } else if (previous != null && object.etag() != null
                    && previous.equals(ObjectArrival.unquotedEtag(object.etag()))) {
                activity.put("dataAssetStatus", "UNCHANGED");
            } else {
                // decided when the job ends: SUCCEEDED_CREATED / _UPDATED, or FAILED
                activity.put("_planned", previous == null ? "SUCCEEDED_CREATED" : "SUCCEEDED_UPDATED");
                toImport.add(new ObjectArrival(object.bucket(), object.key(), object.size(), object.etag(), null, "0"));
            }
        }
        ObjectNode run = Json.MAPPER.createObjectNode();
        run.put("domainId", domainId);
        run.put("dataSourceId", sourceId);
        run.put("id", runId);
        run.put("projectId", source.get("projectId").asText());
        run.put("type", type);
        run.put("dataSourceConfigurationSnapshot", DataZoneOperation.write(source.get("configuration")));
        run.put("createdAt", DataZoneOperation.iso(now));
        run.put("updatedAt", DataZoneOperation.iso(now));
        run.put("_assets", activities.size());
        if (toImport.isEmpty()) {
            run.put("startedAt", DataZoneOperation.iso(now));
            end(run, activities, null);
        } else {
            services.jobStore.putJobObjects(runId, toImport);
            boolean full = services.datasetStore.find(intake.datasetName()).map(d -> !d.fullImported()).orElse(false);
            // A dataset never fully imported takes its first run as its FULL import; later runs add to it.
            ImportJob job;
            try {
                job = services.jobs.create(new NewImport(runId, intake.datasetName(), location.uri(),
                        full ? ImportMode.FULL : ImportMode.INCREMENTAL, intake.roleArn(), Map.of(), false,
                        intake.maxFailedRowsPercent(), new ImportTrigger(type.equals("SCHEDULED")
                        ? ImportTrigger.Type.SCHEDULE : ImportTrigger.Type.DATA_SOURCE_RUN, sourceId)));
            } catch (IntakeException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS || !type.equals("SCHEDULED")) {
                    throw e;
                }
                job = services.jobs.describe(runId); // a retried scheduled invocation: its job was made already
            }
            run.put("status", "REQUESTED");
            run.put("_job", job.name());
            run.put("_final", false);
        }
        // the activities first: a run that exists has all of them
        Map<String, String> activityEntries = new LinkedHashMap<>();
        activities.forEach((name, activity) -> activityEntries.put(name, DataZoneOperation.write(activity)));
        store.putAll(Kind.RUN_ACTIVITIES, activityEntries, now);
        store.create(Kind.RUN, domainId + "/" + runId, DataZoneOperation.write(run), now);
        if (toImport.isEmpty()) {
            lastRun(sourceEntry, run);
        }
        return run;
    }

    /** The run, brought up to date with its job (and made final, with its effects, when the job has ended). */
    ObjectNode refresh(DataZoneStore.Entry entry) {
        ObjectNode run = DataZoneOperation.document(entry);
        if (run.path("_final").asBoolean(true)) {
            return run;
        }
        Optional<ImportJob> found = services.jobStore.find(run.get("_job").asText());
        if (found.isPresent() && !found.get().status().isTerminal()) {
            String status = found.get().status() == JobStatus.PENDING ? "REQUESTED" : "RUNNING";
            if (status.equals("RUNNING") && !run.has("startedAt")) {
                run.put("startedAt", DataZoneOperation.iso(found.get().updatedAt()));
            }
            run.put("status", status);
            return run; // a view: nothing decided yet, nothing stored
        }
        Map<String, ObjectNode> activities = new LinkedHashMap<>();
        String after = null;
        do {
            Page<DataZoneStore.Entry> page = store.list(Kind.RUN_ACTIVITIES, entry.name() + "/", after, 1000);
            page.items().forEach(a -> activities.put(a.name(), DataZoneOperation.document(a)));
            after = page.lastKey();
        } while (after != null);
        ImportJob job = found.orElse(null);
        if (!run.has("startedAt")) {
            run.put("startedAt", run.get("createdAt").asText());
        }
        Set<String> decided = end(run, activities, job);
        Instant now = services.clock.instant();
        if (job != null && job.status() == JobStatus.ACTIVE) {
            recordImported(run.get("dataSourceId").asText(), activities.values(), now);
        }
        // the activities decided first, then the run made final: a run read in between is decided again, alike
        Map<String, String> changed = new LinkedHashMap<>();
        decided.forEach(name -> changed.put(name, DataZoneOperation.write(activities.get(name))));
        store.putAll(Kind.RUN_ACTIVITIES, changed, now);
        try {
            store.update(Kind.RUN, entry.name(), DataZoneOperation.write(run), entry.version(), now);
        } catch (IntakeException e) {
            if (e.kind() != ErrorKind.CONFLICT) {
                throw e;
            }
            // another request made it final at the same time, with the same outcome
            return DataZoneOperation.document(store.find(Kind.RUN, entry.name()).orElseThrow());
        }
        store.find(Kind.DATA_SOURCE, run.get("domainId").asText() + "/" + run.get("dataSourceId").asText())
                .ifPresent(source -> lastRun(source, run));
        return run;
    }

    /**
     * Decides every activity and the run's status, statistics and error from its job's end (none: no
     * job); answers the names of the activities it decided (those the job imported or failed).
     */
    private Set<String> end(ObjectNode run, Map<String, ObjectNode> activities, ImportJob job) {
        boolean imported = job != null && job.status() == JobStatus.ACTIVE;
        String reason = job == null ? "The import job of this run no longer exists"
                : job.failureReason() != null ? job.failureReason() : "The import job ended " + job.status();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> decided = new LinkedHashSet<>();
        for (Map.Entry<String, ObjectNode> named : activities.entrySet()) {
            ObjectNode activity = named.getValue();
            if (activity.has("_planned")) {
                decided.add(named.getKey());
                if (imported) {
                    activity.put("dataAssetStatus", activity.get("_planned").asText());
                } else {
                    activity.put("dataAssetStatus", "FAILED");
                    activity.set("errorMessage", error("VALIDATION_EXCEPTION", reason));
                }
                activity.remove("_planned");
            }
            counts.merge(activity.get("dataAssetStatus").asText(), 1, Integer::sum);
        }
        ObjectNode statistics = run.putObject("runStatisticsForAssets");
        statistics.put("added", counts.getOrDefault("SUCCEEDED_CREATED", 0));
        statistics.put("updated", counts.getOrDefault("SUCCEEDED_UPDATED", 0));
        statistics.put("unchanged", counts.getOrDefault("UNCHANGED", 0));
        statistics.put("skipped", 0);
        statistics.put("failed", counts.getOrDefault("FAILED", 0));
        int failed = counts.getOrDefault("FAILED", 0);
        boolean jobFailed = job != null && !imported || run.has("_job") && job == null;
        if (jobFailed) {
            run.put("status", "FAILED");
            run.set("errorMessage", error("VALIDATION_EXCEPTION", reason));
        } else if (failed > 0 && failed == activities.size()) {
            run.put("status", "FAILED");
            run.set("errorMessage", error("VALIDATION_EXCEPTION", "No object of the data source could be imported: "
                    + "every one failed (see the run's activities)"));
        } else {
            run.put("status", failed > 0 ? "PARTIALLY_SUCCEEDED" : "SUCCESS");
        }
        Instant stopped = job == null ? services.clock.instant() : job.updatedAt();
        run.put("stoppedAt", DataZoneOperation.iso(stopped));
        run.put("updatedAt", DataZoneOperation.iso(stopped));
        run.put("_final", true);
        return decided;
    }

    /**
     * Remembers, for the source, the ETag of each object the run imported (the next run compares with
     * these): one entry per object, so a source may hold any number of objects.
     */
    private void recordImported(String sourceId, Iterable<ObjectNode> activities, Instant at) {
        Map<String, String> objects = new LinkedHashMap<>();
        for (ObjectNode activity : activities) {
            String status = activity.get("dataAssetStatus").asText();
            if ((status.equals("SUCCEEDED_CREATED") || status.equals("SUCCEEDED_UPDATED")) && activity.hasNonNull("_etag")) {
                ObjectNode object = Json.MAPPER.createObjectNode();
                object.put("key", activity.get("_key").asText());
                object.put("etag", activity.get("_etag").asText());
                objects.put(importedObjectName(sourceId, activity.get("_key").asText()), DataZoneOperation.write(object));
            }
        }
        store.putAll(Kind.SOURCE_OBJECTS, objects, at);
    }

    /** The source's lastRun* members, after a run ended. */
    private void lastRun(DataZoneStore.Entry sourceEntry, ObjectNode run) {
        ObjectNode source = DataZoneOperation.document(sourceEntry);
        source.put("lastRunStatus", run.get("status").asText());
        source.put("lastRunAt", run.get("createdAt").asText());
        source.put("lastRunAssetCount", run.path("_assets").asInt());
        if (run.has("errorMessage")) {
            source.set("lastRunErrorMessage", run.get("errorMessage"));
        } else {
            source.remove("lastRunErrorMessage");
        }
        try {
            store.update(Kind.DATA_SOURCE, sourceEntry.name(), DataZoneOperation.write(source), sourceEntry.version(),
                    services.clock.instant());
        } catch (IntakeException e) {
            // changed or deleted meanwhile: its last run shows on its next run instead
            if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** The ETag each object had when the source's runs last imported it, by key. */
    private Map<String, String> importedEtags(String sourceId) {
        Map<String, String> etags = new HashMap<>();
        String after = null;
        do {
            Page<DataZoneStore.Entry> page = store.list(Kind.SOURCE_OBJECTS, sourceId + "/", after, 1000);
            for (DataZoneStore.Entry entry : page.items()) {
                ObjectNode object = DataZoneOperation.document(entry);
                etags.put(object.get("key").asText(), object.get("etag").asText());
            }
            after = page.lastKey();
        } while (after != null);
        return etags;
    }

    /** A run's activity entry: the run's name, then the object's position in the listing (fixed width: listed in order). */
    static String activityName(String runName, int position) {
        return runName + "/" + String.format("%07d", position);
    }

    /**
     * A source's entry for an imported object: the source's id, then the SHA-256 of the key (a key
     * may be 1,024 bytes, which with the source's id would be longer than a DynamoDB sort key may be).
     */
    static String importedObjectName(String sourceId, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return sourceId + "/" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The key as DataZone's Name member holds it: a longer key keeps its last 256 characters (the full URI is the description). */
    static String technicalName(String key) {
        return key.length() <= MAX_NAME ? key : key.substring(key.length() - MAX_NAME);
    }

    static ObjectNode error(String type, String detail) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("errorType", type);
        error.put("errorDetail", detail);
        return error;
    }
}
