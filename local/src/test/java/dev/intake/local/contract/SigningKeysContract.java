package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The semantics of {@link dev.intake.core.ports.SigningKeys}, for every adapter. */
abstract class SigningKeysContract extends StorageContract {
    /** Another view of the same storage, as a second process of the deployment would have. */
    protected abstract dev.intake.core.ports.Storage sameStorageAgain();

    @Test
    void thePageTokenKeyIsMadeOnceAndSharedByEveryProcess() {
        byte[] key = storage.signingKeys().pageTokenKey();
        assertThat(key).hasSize(32);
        assertThat(storage.signingKeys().pageTokenKey()).isEqualTo(key);
        assertThat(sameStorageAgain().signingKeys().pageTokenKey()).isEqualTo(key);
        assertThat(key).as("random, not a constant").isNotEqualTo(new byte[32]);
    }
}
