package latch.setup;

import latch.token.RandomSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-time code that proves the person claiming a new instance can read its log or data directory, so a
 * Latch exposed before setup cannot be claimed by a stranger.
 */
public final class SetupCode {
    private static final Logger log = LoggerFactory.getLogger(SetupCode.class);
    /** No vowels or look-alikes: readable from a log line, unlikely to spell words. */
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789";
    static final String FILE_NAME = "setup-code";

    private final Path file;
    private volatile String code;

    private SetupCode(Path file, String code) {
        this.file = file;
        this.code = code;
    }

    /** A code for an instance still waiting for its admin: the preset, the one from a previous start, or a new one. */
    public static SetupCode prepare(Path dataDir, Optional<String> preset, boolean setupDone) {
        return prepare(dataDir, preset, Optional.empty(), setupDone);
    }

    /**
     * Like {@link #prepare(Path, Optional, boolean)}; {@code shared}: random bytes every node of a shared database
     * reads alike (a sealed secret), from which each derives the same code, so the setup page works whichever node
     * the proxy sends it to.
     */
    public static SetupCode prepare(Path dataDir, Optional<String> preset, Optional<byte[]> shared, boolean setupDone) {
        Path file = dataDir.resolve(FILE_NAME);
        if (setupDone) {
            deleteQuietly(file);
            return new SetupCode(file, null);
        }
        String code = preset.orElseGet(() -> shared.map(SetupCode::derived)
                .orElseGet(() -> existing(file).orElseGet(SetupCode::fresh)));
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, code + "\n", StandardCharsets.UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("could not write {}: {}", file, e.getMessage());
        }
        if (preset.isPresent()) {
            // The operator chose this code and treats it as a secret: it stays out of the log.
            log.warn("Latch is not set up yet. Open the web page and enter the setup code from LATCH_SETUP_CODE (also in {})", file);
        } else {
            log.warn("Latch is not set up yet. Open the web page and enter the setup code {} (also in {})", code, file);
        }
        return new SetupCode(file, code);
    }

    public boolean matches(String candidate) {
        String expected = code;
        return expected != null && candidate != null
                && RandomSecrets.constantTimeEquals(normalise(expected), normalise(candidate));
    }

    /** Setup is done: the code is spent and its file removed. */
    public void spend() {
        code = null;
        deleteQuietly(file);
    }

    private static String fresh() {
        return grouped(RandomSecrets.fromAlphabet(ALPHABET, 12));
    }

    /** Twelve letters of the alphabet from random bytes: 28 letters, so each byte's remainder is near-uniform. */
    static String derived(byte[] random) {
        var raw = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            raw.append(ALPHABET.charAt(Math.floorMod(random[i] & 0xff | (random[i + 12] & 0xff) << 8, ALPHABET.length())));
        }
        return grouped(raw.toString());
    }

    private static String grouped(String raw) {
        return raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8);
    }

    private static Optional<String> existing(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            return content.length() >= 8 ? Optional.of(content) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Case, spaces and dashes do not matter when typing the code. */
    static String normalise(String code) {
        return code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e.getMessage());
        }
    }
}
