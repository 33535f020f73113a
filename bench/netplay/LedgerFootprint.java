import latch.sfu.LocalWriteTokenLedger;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Heap per outstanding write token in the one-time ledger: N tokens issued as Latch issues them (issuer, a random
 * 16-byte jti in base64url, an expiry), heap measured after full collections before and after. The jti strings are
 * made and dropped as they go, as in Latch, where only the ledger keeps anything.
 * Usage: java -cp target/latch.jar:target/bench-classes LedgerFootprint N
 */
public final class LedgerFootprint {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        var random = new SecureRandom();
        var ledger = new LocalWriteTokenLedger(Clock.systemUTC());
        long before = usedAfterGc();
        Instant expires = Instant.now().plusSeconds(30);
        byte[] jti = new byte[16];
        for (int i = 0; i < n; i++) {
            random.nextBytes(jti);
            ledger.issue("https://auth.example.com", Base64.getUrlEncoder().withoutPadding().encodeToString(jti), expires);
        }
        long after = usedAfterGc();
        System.out.printf("tokens %d heap %.1f MB bytes-per-token %.1f (ledger holds %d)%n", n, (after - before) / 1048576.0,
                (after - before) / (double) n, ledger.size());
    }

    private static long usedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
