package dev.intake.core.ports;

/**
 * Object storage as Intake sees it, and as each job's role sees it: a job that names a roleArn reads
 * its data as that role, in a session named after the job.
 */
public interface ObjectStores {
    /** Intake's own credentials: the results bucket, and the data of jobs that name no role. */
    ObjectStore own();

    /**
     * A job's data location as the job reads it.
     *
     * @param jobName  the job (role sessions carry its name, so CloudTrail shows which job read what)
     * @param roleArn  the role to act as, or null for Intake's own credentials
     * @param location what the job reads: a role's session may read nothing else, whatever the role allows
     */
    ObjectStore forJob(String jobName, String roleArn, dev.intake.core.DataLocation location);

    /**
     * A job's destination as the job writes it (a dataset export): a role's session may put objects
     * under {@code folder} and do nothing else. Where there are no roles, the job's own store.
     */
    default ObjectStore forWriting(String jobName, String roleArn, dev.intake.core.DataLocation folder) {
        return forJob(jobName, roleArn, folder);
    }

    /** No object storage in this process: every use fails, saying why. */
    static ObjectStores unavailable(String why) {
        return new ObjectStores() {
            @Override
            public ObjectStore own() {
                throw new IllegalStateException(why);
            }

            @Override
            public ObjectStore forJob(String jobName, String roleArn, dev.intake.core.DataLocation location) {
                throw new IllegalStateException(why);
            }
        };
    }

    /** The same store whatever the role (where there are no roles: the local runtime). */
    static ObjectStores single(ObjectStore store) {
        return new ObjectStores() {
            @Override
            public ObjectStore own() {
                return store;
            }

            @Override
            public ObjectStore forJob(String jobName, String roleArn, dev.intake.core.DataLocation location) {
                return store;
            }
        };
    }
}
