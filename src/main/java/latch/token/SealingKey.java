package latch.token;

import latch.db.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The key that seals the secrets Latch keeps in its database (signing keys, the CSRF key) with AES-256-GCM, so a
 * copy of latch.db alone forges nothing. It comes from LATCH_ENCRYPTION_KEY, or from the data directory's own
 * 0600 file {@code latch.key}, generated on first start. Each sealed value is bound to its name as associated
 * data, so one cannot be swapped for another.
 */
public final class SealingKey {
    private static final Logger log = LoggerFactory.getLogger(SealingKey.class);
    public static final String FILE_NAME = "latch.key";
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    private SealingKey(byte[] material) {
        this.key = new SecretKeySpec(derive(material), "AES");
    }

    /** The configured key, else the one in {@code dataDir/latch.key}, created there if missing. */
    public static SealingKey load(Optional<byte[]> configured, Path dataDir) {
        return find(configured, dataDir, true).orElseThrow();
    }

    /**
     * The configured key, else the one in {@code dataDir/latch.key}; when there is neither, a new one written there
     * if {@code create}, else empty (a short-lived process must not leave a key the server never had).
     */
    public static Optional<SealingKey> find(Optional<byte[]> configured, Path dataDir, boolean create) {
        if (configured.isPresent()) {
            return Optional.of(new SealingKey(configured.get()));
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (!create && !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (!Files.exists(file)) {
                DataDirectory.createPrivateFile(file);
                Files.writeString(file, RandomSecrets.urlSafe(32) + "\n", StandardCharsets.UTF_8);
                log.info("generated the encryption key {}: keep it with latch.db, but out of copies of latch.db you share", file);
            }
            byte[] material = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            if (material.length < 32) {
                throw new IllegalStateException(file + " holds less than 32 bytes");
            }
            return Optional.of(new SealingKey(material));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** A key from raw material, for tests and tools. */
    public static SealingKey of(byte[] material) {
        return new SealingKey(material);
    }

    // The operator's key is a high-entropy string of any length; SHA-256 over a label and it gives the AES-256 key.
    private static byte[] derive(byte[] material) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update("latch-sealing-key-v1\0".getBytes(StandardCharsets.UTF_8));
            return sha.digest(material);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public byte[] seal(String name, byte[] plain) {
        byte[] nonce = RandomSecrets.bytes(NONCE_BYTES);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(name));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    /** The value sealed under {@code name}; empty when it was sealed with another key, or for another name. */
    public Optional<byte[]> open(String name, byte[] sealed) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            return Optional.empty();
        }
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(aad(name));
            return Optional.of(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES));
        } catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    private static byte[] aad(String name) {
        return ("latch:" + name).getBytes(StandardCharsets.UTF_8);
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
