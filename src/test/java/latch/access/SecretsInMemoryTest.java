package latch.access;

import com.sun.management.HotSpotDiagnosticMXBean;
import latch.http.ClientInfo;
import latch.support.TestLatch;
import latch.token.RandomSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A heap dump, a core file or a swapped-out page must not hand over the credentials Latch has recently checked.
 * Client-token secrets are compared by their SHA-256 on every use and the verified-JWT cache is keyed by a digest,
 * so after use neither secret's bytes are anywhere in the heap. The tokens are minted and checked through the
 * services, not over HTTP, so Jetty's and the HTTP client's reused buffers cannot hold a copy; the test itself
 * holds each secret only XOR-masked.
 */
class SecretsInMemoryTest {
    private static final ClientInfo CLIENT = new ClientInfo("127.0.0.1", "HeapTest/1", false); // the box, as setup was: no new network

    @TempDir
    Path dir;
    @TempDir
    Path dumps;

    @Test
    void neitherAClientTokenNorASessionTokenStaysInTheHeapAfterItWasChecked() throws Exception {
        Masked[] secrets = new Masked[2];
        Path dump = dumps.resolve("latch.hprof");
        TestLatch.run(dir, latch -> {
            Principal admin = latch.deps().sessionService().authenticate(latch.setupAdmin());
            secrets[0] = mintClientToken(latch, admin);
            secrets[1] = signIn(latch, admin);
            for (int i = 0; i < 3; i++) {
                assertTrue(checkClientToken(latch, secrets[0]), "the client token authenticates");
                assertTrue(checkSessionToken(latch, secrets[1]), "the session token authenticates");
            }
            // With the server still running: its caches hold whatever they keep about the two tokens.
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
        });

        // The client token's 256 random bits, its last 43 characters (its id is no secret), the whole session token
        // and its signature.
        String clientToken = secrets[0].reveal();
        String sessionToken = secrets[1].reveal();
        var secretsToFind = new LinkedHashMap<String, String>();
        secretsToFind.put("client token secret", clientToken.substring(clientToken.length() - 43));
        secretsToFind.put("session token", sessionToken);
        secretsToFind.put("session token signature", sessionToken.substring(sessionToken.lastIndexOf('.') + 1));
        var needles = new LinkedHashMap<String, byte[]>();
        secretsToFind.forEach((what, text) -> {
            // Strings are Latin-1 bytes in the heap, or UTF-16 in either byte order (char[] and UTF-16 strings).
            for (Charset encoding : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
                needles.put(what + " (" + encoding + ")", text.getBytes(encoding));
            }
        });
        List<String> found = find(dump, needles);
        assertTrue(Files.size(dump) > 1_000_000, "a real heap dump");
        assertEquals(List.of(), found, "secrets found in a heap dump of a live Latch");
    }

    // Each secret is unmasked inside a method of its own, so no stack slot of the test keeps the plain string.

    private static Masked mintClientToken(TestLatch latch, Principal admin) {
        return new Masked(latch.deps().clientTokenService().create(admin, "heap", List.of("me.read"), null, null, CLIENT).secret());
    }

    private static Masked signIn(TestLatch latch, Principal admin) {
        return new Masked(latch.deps().sessionService().signIn(admin.user(), CLIENT, "heap test").token());
    }

    private static boolean checkClientToken(TestLatch latch, Masked secret) {
        return latch.deps().clientTokenService().authenticate(secret.reveal(), () -> CLIENT).credential()
                == Principal.Credential.CLIENT_TOKEN;
    }

    private static boolean checkSessionToken(TestLatch latch, Masked token) {
        return latch.deps().sessionService().authenticate(token.reveal()).credential() == Principal.Credential.SESSION;
    }

    /** A secret kept as two arrays that each look random: the plain bytes exist only in strings {@link #reveal} returns. */
    private static final class Masked {
        private final byte[] mask;
        private final byte[] masked;

        Masked(String plain) {
            byte[] bytes = plain.getBytes(StandardCharsets.ISO_8859_1);
            this.mask = RandomSecrets.bytes(bytes.length);
            this.masked = xor(bytes, mask);
            Arrays.fill(bytes, (byte) 0);
        }

        String reveal() {
            byte[] plain = xor(masked, mask);
            String s = new String(plain, StandardCharsets.ISO_8859_1);
            Arrays.fill(plain, (byte) 0);
            return s;
        }

        private static byte[] xor(byte[] a, byte[] b) {
            byte[] out = new byte[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = (byte) (a[i] ^ b[i]);
            }
            return out;
        }
    }

    /** The names of the needles that occur anywhere in the file, read once in overlapping chunks. */
    private static List<String> find(Path file, Map<String, byte[]> needles) throws IOException {
        int longest = needles.values().stream().mapToInt(n -> n.length).max().orElseThrow();
        var found = new ArrayList<String>();
        byte[] chunk = new byte[8 << 20];
        int kept = 0;
        try (var in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            while (true) {
                int read = in.readNBytes(chunk, kept, chunk.length - kept);
                int length = kept + read;
                for (var needle : needles.entrySet()) {
                    if (!found.contains(needle.getKey()) && indexOf(chunk, length, needle.getValue()) >= 0) {
                        found.add(needle.getKey());
                    }
                }
                if (read == 0) {
                    return found;
                }
                kept = Math.min(longest - 1, length);
                System.arraycopy(chunk, length - kept, chunk, 0, kept);
            }
        }
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theSearchFindsASecretThatIsStillHeld() throws Exception {
        // The check above is only worth something if a secret that is kept shows up: keep one on purpose.
        String held = "latch_" + RandomSecrets.urlSafe(41);
        Path dump = dumps.resolve("held.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
        assertEquals(List.of("held"), find(dump, Map.of("held", held.substring(6).getBytes(StandardCharsets.ISO_8859_1))),
                "a live string is in the dump");
        assertFalse(held.isEmpty()); // keeps it reachable until after the dump
    }
}
