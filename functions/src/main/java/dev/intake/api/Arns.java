package dev.intake.api;

import dev.intake.app.Deployment;
import dev.intake.core.IntakeException;

/** The ARNs a dialect shows for Intake's resources, and back. */
public final class Arns {
    public static final String DATASET = "dataset";
    public static final String IMPORT_JOB = "dataset-import-job";
    /** A saved data source (Intake's own). */
    public static final String DATA_SOURCE = "data-source";

    private final Deployment deployment;
    private final String service;

    public Arns(Deployment deployment, String service) {
        this.deployment = deployment;
        this.service = service;
    }

    public String of(String resourceType, String name) {
        return deployment.arn(service, resourceType, name);
    }

    /** The resource name an ARN of this deployment names; NOT_FOUND for any other ARN. */
    public String nameOf(String resourceType, String arn, String what) {
        String prefix = deployment.arn(service, resourceType, "");
        if (arn == null || !arn.startsWith(prefix) || arn.length() == prefix.length() || arn.indexOf('/', prefix.length()) >= 0) {
            throw IntakeException.notFound(what + " " + arn + " does not exist");
        }
        return arn.substring(prefix.length());
    }
}
