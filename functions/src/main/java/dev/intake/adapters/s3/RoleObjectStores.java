package dev.intake.adapters.s3;

import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStores;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3 store per role, built once and kept for the life of the process (a role's client
 * refreshes its own credentials); null means Intake's own.
 */
public final class RoleObjectStores implements ObjectStores {
    private final ObjectStore own;
    private final Function<String, S3Client> clientForRole;
    private final Map<String, ObjectStore> byRole = new ConcurrentHashMap<>();

    public RoleObjectStores(S3Client own, Function<String, S3Client> clientForRole) {
        this.own = new S3ObjectStore(own);
        this.clientForRole = clientForRole;
    }

    @Override
    public ObjectStore forRole(String roleArn) {
        if (roleArn == null) {
            return own;
        }
        return byRole.computeIfAbsent(roleArn, role -> new S3ObjectStore(clientForRole.apply(role)));
    }
}
