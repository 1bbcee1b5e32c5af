package dev.intake.api;

import dev.intake.app.Deployment;
import dev.intake.core.IntakeException;

/** The ARNs a dialect shows for Intake's resources, and back. */
public final class Arns {
    public static final String DATASET = "dataset";
    public static final String IMPORT_JOB = "dataset-import-job";
    /** A dataset export job (Personalize's form). */
    public static final String EXPORT_JOB = "dataset-export-job";
    /** A saved data source (Intake's own). */
    public static final String DATA_SOURCE = "data-source";
    /** Personalize's schemas and dataset groups. */
    public static final String SCHEMA = "schema";
    public static final String DATASET_GROUP = "dataset-group";

    private final Deployment deployment;
    private final String service;

    public Arns(Deployment deployment, String service) {
        this.deployment = deployment;
        this.service = service;
    }

    public String of(String resourceType, String name) {
        // A Personalize dataset, Intake dataset <group>.<TYPE>, has Personalize's ARN form dataset/<group>/<TYPE>.
        return deployment.arn(service, resourceType, DATASET.equals(resourceType) ? name.replace('.', '/') : name);
    }

    /** The resource name an ARN of this deployment names; NOT_FOUND for any other ARN. */
    public String nameOf(String resourceType, String arn, String what) {
        String prefix = deployment.arn(service, resourceType, "");
        if (arn != null && DATASET.equals(resourceType) && arn.startsWith(prefix)) {
            String name = arn.substring(prefix.length());
            int slash = name.indexOf('/');
            if (name.indexOf('.') < 0 && slash > 0 && slash == name.lastIndexOf('/') && slash < name.length() - 1) {
                return name.replace('/', '.'); // dataset/<group>/<TYPE>: see of()
            }
        }
        if (arn == null || !arn.startsWith(prefix) || arn.length() == prefix.length() || arn.indexOf('/', prefix.length()) >= 0
                || DATASET.equals(resourceType) && arn.indexOf('.', prefix.length()) >= 0) {
            throw IntakeException.notFound(what + " " + arn + " does not exist");
        }
        return arn.substring(prefix.length());
    }
}
