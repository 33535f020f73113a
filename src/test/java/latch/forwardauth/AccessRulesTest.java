package latch.forwardauth;

import latch.config.InvalidSetting;
import latch.access.ScopeCatalog;
import latch.forwardauth.AccessRule.Requirement.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessRulesTest {
    static final String YAML = String.join("\n",
            "rules:",
            "  - hosts: public.example.com",
            "    require: bypass",
            "  - hosts: ['*.example.com']",
            "    paths: ['/admin/**', '^/api/v[0-9]+/admin(/.*)?$']",
            "    role: admin",
            "  - hosts: roms.example.com",
            "    paths: /api/roms/*",
            "    methods: [get, HEAD]",
            "    scope: roms.read",
            "  - networks: ['192.168.1.0/24', '::1']",
            "    require: bypass",
            "  - paths: /secret/**",
            "    require: deny",
            "");

    private static AccessRules yaml(String text) {
        return AccessRules.parse(text, false, "rules.yml", ScopeCatalog.defaults());
    }

    @Test
    void theFirstMatchingRuleWinsAndTheDefaultNeedsASignedInUser() {
        var rules = yaml(YAML);
        assertEquals(1, rules.match("public.example.com", "/admin/x", "POST", "203.0.113.1").number());
        assertEquals(2, rules.match("roms.example.com", "/admin/x", "GET", "203.0.113.1").number());
        assertEquals(2, rules.match("roms.example.com", "/api/v2/admin", "GET", "203.0.113.1").number());
        assertEquals(3, rules.match("roms.example.com", "/api/roms/12", "GET", "203.0.113.1").number());
        assertEquals(Kind.SCOPE, rules.match("roms.example.com", "/api/roms/12", "HEAD", "203.0.113.1").requires().kind());
        assertEquals(4, rules.match("other.test", "/x", "GET", "192.168.1.7").number());
        assertEquals(5, rules.match("other.test", "/secret/a/b", "GET", "10.0.0.1").number());
        AccessRule fallback = rules.match("roms.example.com", "/api/roms/12", "POST", "203.0.113.1");
        assertEquals(0, fallback.number());
        assertEquals(Kind.AUTHENTICATED, fallback.requires().kind());
    }

    @Test
    void hostsAreCaseInsensitiveAndWildcardsMeanSubdomainsOnly() {
        var rules = yaml(YAML);
        assertTrue(AccessRule.hostMatches("*.example.com", "a.b.example.com"));
        assertFalse(AccessRule.hostMatches("*.example.com", "example.com"));
        assertFalse(AccessRule.hostMatches("*.example.com", "evilexample.com"));
        assertEquals(1, yaml("rules:\n  - hosts: PUBLIC.Example.com\n    require: bypass\n").match("public.example.com", "/", "GET", "1.2.3.4").number());
        assertEquals(0, rules.match("example.com", "/admin/x", "GET", "203.0.113.1").number());
    }

    @Test
    void globsStarStaysInASegmentDoubleStarCrossesThem() {
        var p = PathPattern.of("/api/roms/*/content/**");
        assertTrue(p.matches("/api/roms/12/content/game.zip"));
        assertTrue(p.matches("/api/roms/12/content/a/b/c"));
        assertTrue(p.matches("/api/roms/12/content"));
        assertFalse(p.matches("/api/roms/12/13/content/x"));
        assertFalse(p.matches("/api/roms/12/contents/x"));
        assertTrue(PathPattern.of("/a/**/z").matches("/a/b/c/z"));
        assertTrue(PathPattern.of("/files/*.zip").matches("/files/x.zip"));
        assertFalse(PathPattern.of("/files/*.zip").matches("/files/a/x.zip"));
        assertFalse(PathPattern.of("/a.b").matches("/aXb"));
    }

    @Test
    void pathsAreCaseSensitive() {
        var rules = yaml(YAML);
        assertEquals(0, rules.match("roms.example.com", "/ADMIN/x", "GET", "203.0.113.1").number());
    }

    @Test
    void jsonFilesWorkToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(file, "{\"rules\": [{\"hosts\": [\"a.test\"], \"scope\": \"roms.read\"}]}");
        var rules = AccessRules.load(Optional.of(file), ScopeCatalog.defaults());
        assertEquals("roms.read", rules.rules().get(0).requires().value());
        assertTrue(AccessRules.load(Optional.empty(), ScopeCatalog.defaults()).rules().isEmpty());
    }

    @Test
    void aBadFileStopsTheStartWithOneLineNamingTheVariable(@TempDir Path dir) {
        assertInvalid("rules:\n  - hosts: a.test\n", "rule 1: needs exactly one of");
        assertInvalid("rules:\n  - hosts: a.test\n    require: allow\n", "rule 1: require: 'allow'");
        assertInvalid("rules:\n  - require: bypass\n  - scope: roms.reed\n", "rule 2: 'roms.reed' is not a known scope");
        assertInvalid("rules:\n  - role: superuser\n", "'superuser' is not a role");
        assertInvalid("rules:\n  - scopes: roms.read\n", "'scopes' is not a rule field");
        assertInvalid("rules:\n  - paths: admin/**\n    require: deny\n", "must start with '/'");
        assertInvalid("rules:\n  - paths: '^/admin(('\n    require: deny\n", "not a valid regular expression");
        assertInvalid("rules:\n  - hosts: https://a.test/\n    require: deny\n", "not a host name");
        assertInvalid("rules:\n  - networks: 10.0.0.0/33\n    require: deny\n", "not an IP address or CIDR");
        assertInvalid("rules:\n  - methods: 'GET POST'\n    require: deny\n", "not an HTTP method");
        assertInvalid("rules:\n  - require: deny\n    require: bypass\n", "is not valid YAML");
        assertInvalid("rules: [\n", "is not valid YAML (line");
        assertInvalid("", "is empty");
        assertInvalid("- require: deny\n", "exactly one top-level field");
        var e = assertThrows(InvalidSetting.class,
                () -> AccessRules.load(Optional.of(dir.resolve("missing.yml")), ScopeCatalog.defaults()));
        assertTrue(e.getMessage().startsWith("ACCESS_RULES_FILE: cannot read the file"), e.getMessage());
    }

    private static void assertInvalid(String text, String expected) {
        var e = assertThrows(InvalidSetting.class, () -> yaml(text));
        assertTrue(e.getMessage().startsWith("ACCESS_RULES_FILE: rules.yml "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
