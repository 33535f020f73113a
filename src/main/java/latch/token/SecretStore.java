package latch.token;

import java.util.function.Supplier;

/** Instance-wide secrets that must survive restarts, such as the generated JWT key. */
public interface SecretStore {
    /** The secret called {@code name}, created from {@code fresh} and stored if there is none yet. */
    byte[] getOrCreate(String name, Supplier<byte[]> fresh);
}
