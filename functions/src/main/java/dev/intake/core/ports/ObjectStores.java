package dev.intake.core.ports;

/** Object storage as a job's role sees it: a job that names a roleArn reads its data as that role. */
@FunctionalInterface
public interface ObjectStores {
    /** @param roleArn the role to act as, or null for Intake's own credentials */
    ObjectStore forRole(String roleArn);

    /** The same store whatever the role (where there are no roles: the local runtime). */
    static ObjectStores single(ObjectStore store) {
        return roleArn -> store;
    }
}
