package latch;

import latch.config.InvalidSetting;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheDocumentedOnes() {
        Settings s = Settings.parse(Map.of(), new String[0]);
        assertEquals(8080, s.server().port());
        assertEquals(Path.of("data"), s.dataDir());
        assertEquals(86400, s.sessions().maxAge().getSeconds());
        assertEquals(10, s.signIn().maxAttemptsPerClient());
        assertEquals(900, s.signIn().window().getSeconds());
        assertEquals(19456, s.passwords().argon2().memoryKib());
        assertEquals(2, s.passwords().argon2().iterations());
        assertEquals(1, s.passwords().argon2().parallelism());
        assertEquals(128, s.passwords().maxLength());
        assertTrue(s.keys().authSecret().isEmpty());
        assertTrue(s.keys().encryptionKey().isEmpty());
        assertEquals(31_536_000, s.http().hstsMaxAgeSeconds());
        assertFalse(s.http().hstsIncludeSubdomains());
        assertTrue(s.http().trustedProxies().isEmpty());
    }

    @Test
    void flagsOverrideEnvironmentVariables() {
        Settings s = Settings.parse(Map.of("LATCH_PORT", "9000", "LATCH_DATA_DIR", "/env"),
                new String[] {"--port", "9100", "--data-dir=/flag"});
        assertEquals(9100, s.server().port());
        assertEquals(Path.of("/flag"), s.dataDir());
    }

    @Test
    void aShortSecretRefusesToStartAndIsNeverEchoed() {
        var e = assertThrows(InvalidSetting.class,
                () -> Settings.parse(Map.of("LATCH_AUTH_SECRET_KEY", "tooshort-secret-value"), new String[0]));
        assertTrue(e.getMessage().startsWith("LATCH_AUTH_SECRET_KEY:"), e.getMessage());
        assertFalse(e.getMessage().contains("tooshort-secret-value"));
    }

    @Test
    void theSecretCanComeFromAFile() throws Exception {
        Path file = dir.resolve("secret");
        String secret = "0123456789abcdef0123456789abcdef0123456789abcdef";
        Files.writeString(file, secret + "\n");
        Settings s = Settings.parse(Map.of("LATCH_AUTH_SECRET_KEY_FILE", file.toString()), new String[0]);
        assertArrayEquals(secret.getBytes(), s.keys().authSecret().orElseThrow());
    }

    @Test
    void settingBothTheSecretAndItsFileIsRefused() {
        var e = assertThrows(InvalidSetting.class, () -> Settings.parse(Map.of(
                "LATCH_AUTH_SECRET_KEY", "0123456789abcdef0123456789abcdef", "LATCH_AUTH_SECRET_KEY_FILE", "/x"), new String[0]));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void anUnreadableSecretFileNamesTheVariable() {
        var e = assertThrows(InvalidSetting.class, () -> Settings.parse(
                Map.of("LATCH_AUTH_SECRET_KEY_FILE", dir.resolve("missing").toString()), new String[0]));
        assertTrue(e.getMessage().startsWith("LATCH_AUTH_SECRET_KEY_FILE:"), e.getMessage());
    }

    @Test
    void invalidValuesNameTheVariableInOneLine() {
        assertMessage("LATCH_PORT:", Map.of("LATCH_PORT", "eighty"));
        assertMessage("LATCH_PORT:", Map.of("LATCH_PORT", "70000"));
        assertMessage("SESSION_MAX_AGE_SECONDS:", Map.of("SESSION_MAX_AGE_SECONDS", "-1"));
        assertMessage("TRUSTED_PROXIES:", Map.of("TRUSTED_PROXIES", "10.0.0.0/8, proxy.example.com"));
        assertMessage("TRUSTED_PROXIES:", Map.of("TRUSTED_PROXIES", "10.0.0.0/33"));
        assertMessage("COOKIE_SECURE:", Map.of("COOKIE_SECURE", "maybe"));
        assertMessage("LATCH_PUBLIC_URL:", Map.of("LATCH_PUBLIC_URL", "ftp://auth.example.com"));
        assertMessage("LATCH_PASSWORD_MAX_LENGTH:", Map.of("LATCH_PASSWORD_MIN_LENGTH", "64", "LATCH_PASSWORD_MAX_LENGTH", "32"));
        assertMessage("--verbose", Map.of(), "--verbose");
    }

    @Test
    void trustedProxiesAcceptAddressesAndRanges() {
        Settings s = Settings.parse(Map.of("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1"), new String[0]);
        assertEquals(3, s.http().trustedProxies().size());
        assertTrue(s.http().trustedProxies().get(1).contains("10.200.3.4"));
        assertFalse(s.http().trustedProxies().get(1).contains("11.0.0.1"));
    }

    @Test
    void theIssuerIsThePublicUrlWithoutATrailingSlash() {
        Settings s = Settings.parse(Map.of("LATCH_PUBLIC_URL", "https://auth.example.com/"), new String[0]);
        assertEquals("https://auth.example.com", s.server().issuer());
    }

    @Test
    void theTestHarnessUsesRealButCheapArgon2() {
        Settings s = TestLatch.settings(dir, Map.of());
        assertEquals(256, s.passwords().argon2().memoryKib());
    }

    private static void assertMessage(String prefix, Map<String, String> env, String... args) {
        var e = assertThrows(InvalidSetting.class, () -> Settings.parse(env, args));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void singleSignOnNeedsAClientIdAnIssuerAndARedirectAddress() {
        var missingId = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("OIDC_ENABLED", "true",
                "OIDC_SERVER_APPLICATION_URL", "https://id.example.com")));
        assertTrue(missingId.getMessage().startsWith("OIDC_CLIENT_ID:"), missingId.getMessage());
        var missingRedirect = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("OIDC_ENABLED", "true",
                "OIDC_CLIENT_ID", "latch", "OIDC_SERVER_APPLICATION_URL", "https://id.example.com")));
        assertTrue(missingRedirect.getMessage().startsWith("OIDC_REDIRECT_URI:"), missingRedirect.getMessage());
        var notAUrl = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("OIDC_ENABLED", "true",
                "OIDC_CLIENT_ID", "latch", "OIDC_SERVER_APPLICATION_URL", "id.example.com",
                "LATCH_PUBLIC_URL", "https://auth.example.com")));
        assertTrue(notAUrl.getMessage().startsWith("OIDC_SERVER_APPLICATION_URL:"), notAUrl.getMessage());

        var s = Settings.of(Map.of("OIDC_ENABLED", "true", "OIDC_CLIENT_ID", "latch",
                "OIDC_SERVER_APPLICATION_URL", "https://id.example.com/realms/home", "LATCH_PUBLIC_URL", "https://auth.example.com/",
                "OIDC_CLIENT_SECRET", "s3cret-value", "OIDC_ROLE_ADMIN", "latch-admins, owners"));
        assertEquals("https://auth.example.com/api/oauth/openid", s.oidc().redirectUri().toString());
        assertEquals(java.util.List.of("openid", "profile", "email"), s.oidc().scopes());
        assertEquals("preferred_username", s.oidc().usernameClaim());
        assertEquals(java.util.List.of("latch-admins", "owners"), s.oidc().roleAdmin());
        assertFalse(s.oidc().toString().contains("s3cret-value"));
    }

    @Test
    void passwordLoginCannotBeSwitchedOffWithoutSingleSignOn() {
        var e = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("DISABLE_USERPASS_LOGIN", "true")));
        assertTrue(e.getMessage().startsWith("DISABLE_USERPASS_LOGIN:"), e.getMessage());
        assertTrue(Settings.of(Map.of()).signIn().passwordLogin());
    }

    @Test
    void mailNeedsASenderAndPicksThePortOfItsSecurity() {
        assertTrue(Settings.of(Map.of()).recovery().smtp().isEmpty());
        assertEquals(3600, Settings.of(Map.of()).recovery().resetLinkTtl().getSeconds());
        String url = "https://auth.example.com";
        var e = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("SMTP_HOST", "mail.example.com", "LATCH_PUBLIC_URL", url)));
        assertTrue(e.getMessage().startsWith("SMTP_FROM:"), e.getMessage());
        var tls = Settings.of(Map.of("SMTP_HOST", "mail.example.com", "SMTP_FROM", "latch@example.com", "SMTP_SECURITY", "tls",
                "LATCH_PUBLIC_URL", url));
        assertEquals(465, tls.recovery().smtp().orElseThrow().port());
        assertEquals(587, Settings.of(Map.of("SMTP_HOST", "mail.example.com", "SMTP_FROM", "latch@example.com", "LATCH_PUBLIC_URL", url))
                .recovery().smtp().orElseThrow().port());
        assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("SMTP_HOST", "m", "SMTP_FROM", "a@b", "SMTP_SECURITY", "ssl",
                "LATCH_PUBLIC_URL", url)));
    }

    @Test
    void mailRefusesToStartWithoutAPublicUrlSoNoHostHeaderDecidesWhereResetLinksPoint() {
        var e = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("SMTP_HOST", "mail.example.com",
                "SMTP_FROM", "latch@example.com")));
        assertTrue(e.getMessage().startsWith("SMTP_HOST:") && e.getMessage().contains("LATCH_PUBLIC_URL"), e.getMessage());
    }
}
