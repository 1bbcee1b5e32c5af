package dev.intake.core.ports;

/** Deployment-wide secrets, made once at random and kept in storage so every process shares them. */
public interface SigningKeys {
    /** The key that signs page tokens (32 random bytes); the same on every call and in every process. */
    byte[] pageTokenKey();
}
