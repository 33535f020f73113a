package latch.support;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The netplay calls tests make: a script minting with a Bearer token, and the SFU verifying with its secret. */
public final class Sfu {
    public static final String SECRET = "sfu-internal-secret-for-tests-0123456789";

    private Sfu() {}

    /** Settings with the SFU's secret, plus {@code more} as name, value pairs. */
    public static Map<String, String> settings(String... more) {
        var out = new HashMap<String, String>(Map.of("ROMM_SFU_INTERNAL_SECRET", SECRET));
        for (int i = 0; i + 1 < more.length; i += 2) {
            out.put(more[i], more[i + 1]);
        }
        return out;
    }

    /** A token of {@code type} ("read" or "write") minted with {@code credential} as a Bearer token. */
    public static String mint(TestLatch latch, String credential, String type) {
        var res = latch.http().postJson("/api/sfu/token", "{\"token_type\":\"" + type + "\"}", "Authorization", Http.bearer(credential));
        assertEquals(200, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    /** The SFU's call as its source makes it; {@code consume} null leaves the field out, as an older SFU build does. */
    public static Http.Response verify(TestLatch latch, String token, Boolean consume) {
        String body = consume == null ? "{\"token\":\"" + token + "\"}" : "{\"token\":\"" + token + "\",\"consume\":" + consume + "}";
        return latch.http().postJson("/api/sfu/internal/verify", body, "x-romm-sfu-secret", SECRET, "Accept", "application/json");
    }
}
