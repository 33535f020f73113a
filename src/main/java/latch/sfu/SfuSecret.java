package latch.sfu;

import io.javalin.http.Context;
import latch.access.ServerCredential;
import latch.http.ApiError;
import latch.token.RandomSecrets;

import java.util.Optional;

/**
 * The netplay SFU's shared secret, sent in {@code x-romm-sfu-secret} exactly as the ROM manager expects it: unset
 * here is 503 (the SFU reports "auth unavailable"), missing or wrong is 401. Compared in constant time.
 */
public final class SfuSecret implements ServerCredential {
    static final String HEADER = "x-romm-sfu-secret";
    private final Optional<String> secret;

    public SfuSecret(Optional<String> secret) {
        this.secret = secret;
    }

    @Override
    public void verify(Context ctx) {
        if (secret.isEmpty()) {
            throw new ApiError(503, "sfu_not_configured",
                    "Netplay servers cannot call Latch: set ROMM_SFU_INTERNAL_SECRET to the secret the SFU sends.")
                    .withDetail("SFU internal secret not configured");
        }
        String presented = ctx.header(HEADER);
        if (presented == null || !RandomSecrets.constantTimeEquals(presented, secret.get())) {
            throw new ApiError(401, "unauthorized", "Send the SFU's shared secret in the " + HEADER + " header.")
                    .withDetail("unauthorized");
        }
    }
}
