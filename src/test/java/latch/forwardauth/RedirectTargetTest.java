package latch.forwardauth;

import latch.access.ScopeCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedirectTargetTest {
    private final RedirectTarget target = RedirectTarget.of("https://auth.example.com", "example.com",
            AccessRules.parse("rules:\n  - hosts: [media.home.lan, '*.apps.test']\n    require: authenticated\n",
                    false, "rules.yml", ScopeCatalog.defaults()));

    @ParameterizedTest
    @ValueSource(strings = {"https://auth.example.com/account", "https://example.com/", "https://roms.example.com/game/1?x=y",
            "http://roms.example.com:8443/", "https://media.home.lan/watch#t=1", "https://a.apps.test/", "https://ROMS.Example.COM/x",
            "/account", "/admin?tab=users"})
    void allowedDomainsAndLocalPathsAreKept(String rd) {
        assertEquals(rd, target.safe(rd));
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.com", "/\\evil.com", "https:evil.com", "https://user@evil.com", "https://example.com@evil.com",
            "https://roms.example.com@evil.com/", "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x",
            "https://evil.com", "https://example.com.evil.com/", "https://evilexample.com/", "https://apps.test/",
            "https://media.home.lan.evil/", "ftp://roms.example.com/", "https://roms.example.com\\@evil.com",
            "https://roms.example.com\t/", "/\tevil", "\u0000/x", " /x", "evil.com", "", "https://..example.com/",
            "https:/evil.com", "https:///evil.com", "///evil.com"})
    void everythingElseFallsBackToTheStart(String rd) {
        assertEquals("/", target.safe(rd));
    }

    @Test
    void aMissingTargetFallsBack() {
        assertEquals("/", target.safe(null));
    }
}
