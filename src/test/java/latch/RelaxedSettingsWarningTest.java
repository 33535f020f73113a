package latch;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelaxedSettingsWarningTest {
    private static List<String> warnings(Map<String, String> env) {
        return Main.relaxedSettingWarnings(Settings.parse(env, new String[0]), new TreeSet<>(Set.of("roms.read", "platforms.read")));
    }

    @Test
    void theDefaultsOpenNothingAndSayNothing() {
        assertEquals(List.of(), warnings(Map.of()));
    }

    @Test
    void everyRelaxationIsNamedWithWhatItMakesPublic() {
        var lines = warnings(Map.of("DISABLE_CSRF_PROTECTION", "true", "ALLOW_REGISTRATION", "true", "KIOSK_MODE", "true",
                "DISABLE_DOWNLOAD_ENDPOINT_AUTH", "true", "DOWNLOAD_ENDPOINT_PATTERNS", "/dl/**"));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("DISABLE_CSRF_PROTECTION=true"), lines.get(0));
        assertTrue(lines.get(1).startsWith("ALLOW_REGISTRATION=true"), lines.get(1));
        assertTrue(lines.get(2).startsWith("KIOSK_MODE=true") && lines.get(2).contains("platforms.read roms.read")
                && lines.get(2).contains("Set LATCH_PUBLIC_URL"), lines.get(2));
        assertTrue(lines.get(3).startsWith("DISABLE_DOWNLOAD_ENDPOINT_AUTH=true") && lines.get(3).contains("/dl/**"), lines.get(3));
    }

    @Test
    void kioskModeDoesNotAskForAPublicUrlThatIsSet() {
        var lines = warnings(Map.of("KIOSK_MODE", "true", "LATCH_PUBLIC_URL", "https://auth.example.com"));
        assertEquals(1, lines.size());
        assertTrue(!lines.get(0).contains("Set LATCH_PUBLIC_URL"), lines.get(0));
    }
}
