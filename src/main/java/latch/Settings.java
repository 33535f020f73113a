package latch;

import latch.http.Cidr;
import latch.password.Argon2Cost;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Latch is configured with, read once at start from environment variables,
 * {@code *_FILE} variants for secrets and command-line flags, and validated as a whole.
 * The README's configuration reference lists every variable read here.
 */
public record Settings(
        String host,
        int port,
        Path dataDir,
        String publicUrl,
        String issuer,
        Optional<byte[]> authSecret,
        Optional<String> setupCode,
        Duration sessionMaxAge,
        List<Cidr> trustedProxies,
        int loginMaxAttempts,
        Duration loginWindow,
        Argon2Cost argon2,
        int passwordMinLength,
        int passwordMaxLength,
        int hashConcurrency,
        int hashQueue,
        CookieSecurity cookieSecurity,
        int maxBodyBytes,
        Duration sessionIdleTimeout,
        Duration oauthAccessLifetime,
        Duration oauthRefreshLifetime,
        boolean csrfProtection,
        boolean allowRegistration,
        int banMaxFailures,
        Duration banWindow,
        Duration banDuration,
        List<String> extraScopes,
        Optional<List<String>> viewerScopes,
        Optional<List<String>> editorScopes,
        int maxClientTokens,
        Optional<Path> accessRulesFile,
        String cookieDomain,
        boolean kioskMode,
        boolean downloadEndpointAuthDisabled,
        List<String> downloadEndpointPatterns) {

    /** When the session cookie carries the {@code Secure} flag. */
    public enum CookieSecurity { AUTO, ALWAYS, NEVER }

    /** A setting that cannot be used; its message is the one line printed before Latch exits. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String variable, String problem) {
            super(variable + ": " + problem);
        }
    }

    static final int MIN_SECRET_BYTES = 32;
    /** The ROM manager's ROM content and firmware download endpoints. */
    public static final String DEFAULT_DOWNLOAD_PATTERNS = "/api/roms/*/content/**,/api/firmware/*/content/**";

    public Settings {
        authSecret = authSecret.map(byte[]::clone);
        trustedProxies = List.copyOf(trustedProxies);
        extraScopes = List.copyOf(extraScopes);
        downloadEndpointPatterns = List.copyOf(downloadEndpointPatterns);
    }

    /** Reads settings from the process environment and the command line. */
    public static Settings parse(Map<String, String> env, String[] args) {
        var values = new HashMap<>(env);
        values.putAll(flags(args));
        return new Reader(values).read();
    }

    /** Defaults with the given overrides, as a plain map of variable names; used by tests and tools. */
    public static Settings of(Map<String, String> values) {
        return new Reader(values).read();
    }

    private static Map<String, String> flags(String[] args) {
        var known = Map.of("--port", "LATCH_PORT", "--data-dir", "LATCH_DATA_DIR", "--host", "LATCH_HOST");
        var out = new HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            String variable = known.get(name);
            if (variable == null) {
                throw new Invalid(arg, "unknown option (known: --port, --data-dir, --host)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new Invalid(name, "needs a value");
                }
                value = args[++i];
            }
            out.put(variable, value);
        }
        return out;
    }

    private static final class Reader {
        private final Map<String, String> values;

        Reader(Map<String, String> values) {
            this.values = values;
        }

        Settings read() {
            int port = integer("LATCH_PORT", 8080, 0, 65535);
            String publicUrl = text("LATCH_PUBLIC_URL", "");
            String cookieDomain = cookieDomain(publicUrl.isEmpty() ? "" : issuer(publicUrl));
            return new Settings(
                    text("LATCH_HOST", "0.0.0.0"),
                    port,
                    Path.of(text("LATCH_DATA_DIR", "data")),
                    publicUrl.isEmpty() ? "" : issuer(publicUrl),
                    issuer(publicUrl),
                    secret("LATCH_AUTH_SECRET_KEY").map(this::checkedSecret),
                    secret("LATCH_SETUP_CODE").map(this::checkedSetupCode),
                    Duration.ofSeconds(integer("SESSION_MAX_AGE_SECONDS", 86400, 60, 31_536_000)),
                    cidrs("TRUSTED_PROXIES"),
                    integer("LOGIN_MAX_ATTEMPTS_PER_IP", 10, 1, 1_000_000),
                    Duration.ofSeconds(integer("LOGIN_WINDOW_SECONDS", 900, 1, 86400)),
                    new Argon2Cost(
                            integer("LATCH_ARGON2_MEMORY_KIB", 19456, 8, 4 * 1024 * 1024),
                            integer("LATCH_ARGON2_ITERATIONS", 2, 1, 100),
                            integer("LATCH_ARGON2_PARALLELISM", 1, 1, 64)),
                    integer("LATCH_PASSWORD_MIN_LENGTH", 8, 1, 1024),
                    passwordMax(),
                    integer("LATCH_HASH_CONCURRENCY", Runtime.getRuntime().availableProcessors(), 1, 256),
                    integer("LATCH_HASH_QUEUE", 64, 0, 100_000),
                    cookieSecurity(),
                    integer("LATCH_MAX_BODY_BYTES", 65536, 1024, 16 * 1024 * 1024),
                    Duration.ofSeconds(integer("SESSION_IDLE_TIMEOUT_SECONDS", 14400, 0, 31_536_000)),
                    Duration.ofSeconds(integer("OAUTH_ACCESS_TOKEN_EXPIRE_SECONDS", 900, 30, 86400)),
                    Duration.ofSeconds(integer("OAUTH_REFRESH_TOKEN_EXPIRE_SECONDS", 2_592_000, 60, 31_536_000)),
                    !bool("DISABLE_CSRF_PROTECTION", false),
                    bool("ALLOW_REGISTRATION", false),
                    integer("LOGIN_BAN_MAX_FAILURES", 5, 1, 1000),
                    Duration.ofSeconds(integer("LOGIN_BAN_WINDOW_SECONDS", 600, 1, 86400)),
                    Duration.ofSeconds(integer("LOGIN_BAN_SECONDS", 900, 1, 31_536_000)),
                    scopeList("LATCH_EXTRA_SCOPES").orElse(List.of()),
                    scopeList("LATCH_VIEWER_SCOPES"),
                    scopeList("LATCH_EDITOR_SCOPES"),
                    integer("LATCH_MAX_CLIENT_TOKENS", 25, 1, 10_000),
                    path("ACCESS_RULES_FILE"),
                    cookieDomain,
                    bool("KIOSK_MODE", false),
                    bool("DISABLE_DOWNLOAD_ENDPOINT_AUTH", false),
                    pathPatterns("DOWNLOAD_ENDPOINT_PATTERNS", DEFAULT_DOWNLOAD_PATTERNS));
        }

        private Optional<Path> path(String name) {
            String v = text(name, "");
            return v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v));
        }

        /**
         * A parent domain such as {@code example.com} (a leading dot is dropped). Browsers ignore a cookie whose
         * Domain does not cover the host that sets it, so it must contain LATCH_PUBLIC_URL's host when both are set.
         */
        private String cookieDomain(String publicUrl) {
            String v = text("COOKIE_DOMAIN", "").toLowerCase(java.util.Locale.ROOT);
            if (v.startsWith(".")) {
                v = v.substring(1);
            }
            if (v.isEmpty()) {
                return "";
            }
            if (v.length() > 253 || !v.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw new Invalid("COOKIE_DOMAIN", "'" + v + "' is not a domain name such as example.com");
            }
            if (!publicUrl.isEmpty()) {
                String host = URI.create(publicUrl).getHost().toLowerCase(java.util.Locale.ROOT);
                if (!host.equals(v) && !host.endsWith("." + v)) {
                    throw new Invalid("COOKIE_DOMAIN", "'" + v + "' does not contain LATCH_PUBLIC_URL's host " + host
                            + ", so browsers would refuse the cookie");
                }
            }
            return v;
        }

        /** Comma-separated path globs, each starting with '/'. */
        private List<String> pathPatterns(String name, String fallback) {
            var out = new ArrayList<String>();
            for (String part : text(name, fallback).split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (!p.startsWith("/") || p.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
                    throw new Invalid(name, "'" + p + "' is not a path pattern such as /api/roms/*/content/**");
                }
                out.add(p);
            }
            return out;
        }

        private boolean bool(String name, boolean fallback) {
            String v = text(name, "").toLowerCase();
            switch (v) {
                case "": return fallback;
                case "true": case "1": case "yes": return true;
                case "false": case "0": case "no": return false;
                default: throw new Invalid(name, "must be true or false, got '" + v + "'");
            }
        }

        /** Scope names separated by spaces or commas, each like {@code roms.read}. */
        private Optional<List<String>> scopeList(String name) {
            String v = text(name, "");
            if (v.isEmpty()) {
                return Optional.empty();
            }
            var out = new ArrayList<String>();
            for (String scope : v.split("[\\s,]+")) {
                if (!scope.matches("[a-z][a-z0-9_.:-]{0,63}")) {
                    throw new Invalid(name, "'" + scope + "' is not a scope name (lower-case letters, digits, '.', '_', ':' or '-')");
                }
                out.add(scope);
            }
            return Optional.of(out);
        }

        private int passwordMax() {
            int min = integer("LATCH_PASSWORD_MIN_LENGTH", 8, 1, 1024);
            int max = integer("LATCH_PASSWORD_MAX_LENGTH", 128, 8, 1024);
            if (max < min) {
                throw new Invalid("LATCH_PASSWORD_MAX_LENGTH", "must not be below LATCH_PASSWORD_MIN_LENGTH (" + min + ")");
            }
            return max;
        }

        private String text(String name, String fallback) {
            String v = values.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        private int integer(String name, int fallback, int min, int max) {
            String v = values.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n < min || n > max) {
                    throw new Invalid(name, "must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new Invalid(name, "must be a whole number, got '" + v.trim() + "'");
            }
        }

        private String issuer(String publicUrl) {
            if (publicUrl.isEmpty()) {
                return "latch";
            }
            try {
                var uri = URI.create(publicUrl);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new Invalid("LATCH_PUBLIC_URL", "must be an http(s) URL such as https://auth.example.com");
                }
            } catch (IllegalArgumentException e) {
                throw new Invalid("LATCH_PUBLIC_URL", "is not a valid URL");
            }
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }

        /** A secret from {@code NAME} or from the file named by {@code NAME_FILE} (Docker secrets), never both. */
        private Optional<String> secret(String name) {
            String direct = values.get(name);
            String file = values.get(name + "_FILE");
            boolean hasDirect = direct != null && !direct.isEmpty();
            boolean hasFile = file != null && !file.isBlank();
            if (hasDirect && hasFile) {
                throw new Invalid(name, "set either " + name + " or " + name + "_FILE, not both");
            }
            if (hasFile) {
                try {
                    String content = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
                    return Optional.of(content.strip());
                } catch (IOException | RuntimeException e) {
                    throw new Invalid(name + "_FILE", "cannot read the file " + file.trim());
                }
            }
            return hasDirect ? Optional.of(direct) : Optional.empty();
        }

        private byte[] checkedSecret(String secret) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                // Never echo the secret, not even its length in a way that helps guessing; the minimum is enough.
                throw new Invalid("LATCH_AUTH_SECRET_KEY", "must be at least " + MIN_SECRET_BYTES
                        + " bytes; generate one with: openssl rand -hex 32");
            }
            return bytes;
        }

        private String checkedSetupCode(String code) {
            if (code.strip().length() < 8) {
                throw new Invalid("LATCH_SETUP_CODE", "must be at least 8 characters");
            }
            return code.strip();
        }

        private List<Cidr> cidrs(String name) {
            var out = new ArrayList<Cidr>();
            for (String part : text(name, "").split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(Cidr.parse(part.trim()));
                } catch (IllegalArgumentException e) {
                    throw new Invalid(name, "'" + part.trim() + "' is not an IP address or CIDR range");
                }
            }
            return out;
        }

        private CookieSecurity cookieSecurity() {
            String v = text("COOKIE_SECURE", "auto").toLowerCase();
            switch (v) {
                case "auto": return CookieSecurity.AUTO;
                case "true": return CookieSecurity.ALWAYS;
                case "false": return CookieSecurity.NEVER;
                default: throw new Invalid("COOKIE_SECURE", "must be auto, true or false, got '" + v + "'");
            }
        }
    }
}
