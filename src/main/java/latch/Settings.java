package latch;

import latch.access.ScopeCatalog;
import latch.access.ScopeSettings;
import latch.audit.AuditSettings;
import latch.clienttoken.ClientTokenSettings;
import latch.config.InvalidSetting;
import latch.db.DatabaseSettings;
import latch.redis.RedisSettings;
import latch.redis.RedisUrl;
import latch.db.DatabaseUrl;
import latch.forwardauth.ForwardAuthSettings;
import latch.http.Cidr;
import latch.http.CookieSettings;
import latch.http.HttpSettings;
import latch.access.NetworkSettings;
import latch.alert.AlertSettings;
import latch.invite.RegistrationSettings;
import latch.limit.LimitPolicy;
import latch.limit.LimitSettings;
import latch.oauth.OAuthSettings;
import latch.oidc.OidcSettings;
import latch.password.Argon2Cost;
import latch.password.PasswordSettings;
import latch.recovery.RecoverySettings;
import latch.recovery.SmtpSettings;
import latch.session.SessionSettings;
import latch.session.SignInSettings;
import latch.sfu.SfuSettings;
import latch.keys.KeyAlgorithm;
import latch.monitoring.LogFormat;
import latch.monitoring.MonitoringSettings;
import latch.token.KeySettings;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Latch is configured with, read once at start from environment variables, {@code *_FILE} variants for
 * secrets and command-line flags, validated as a whole, and handed out in small records each feature owns. The
 * README's configuration reference lists every variable read here.
 */
public record Settings(
        Server server,
        DatabaseSettings database,
        RedisSettings redis,
        HttpSettings http,
        KeySettings keys,
        SessionSettings sessions,
        SignInSettings signIn,
        PasswordSettings passwords,
        ScopeSettings scopes,
        OAuthSettings oauth,
        ClientTokenSettings clientTokens,
        RegistrationSettings registration,
        ForwardAuthSettings forwardAuth,
        SfuSettings sfu,
        OidcSettings oidc,
        RecoverySettings recovery,
        LimitSettings limits,
        NetworkSettings networks,
        AlertSettings alerts,
        MonitoringSettings monitoring,
        AuditSettings audit,
        Optional<String> setupCode) {

    /**
     * Where Latch listens and keeps its data, and how it names itself: {@code publicUrl} is LATCH_PUBLIC_URL without
     * a trailing slash (empty when unset) and {@code issuer} the tokens' {@code iss}, that URL or {@code latch}.
     */
    public record Server(String host, int port, Path dataDir, String publicUrl, String issuer) {}

    static final int MIN_SECRET_BYTES = 32;

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

    public Path dataDir() {
        return server.dataDir();
    }

    /** The same settings with other password settings (the command line hashes one password at a time). */
    public Settings withPasswords(PasswordSettings passwords) {
        return new Settings(server, database, redis, http, keys, sessions, signIn, passwords, scopes, oauth, clientTokens, registration,
                forwardAuth, sfu, oidc, recovery, limits, networks, alerts, monitoring, audit, setupCode);
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
                throw new InvalidSetting(arg, "unknown option (known: --port, --data-dir, --host)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new InvalidSetting(name, "needs a value");
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
            String publicUrl = publicUrl();
            String cookieDomain = cookieDomain(publicUrl);
            var server = new Server(text("LATCH_HOST", "0.0.0.0"), integer("LATCH_PORT", 8080, 0, 65535),
                    Path.of(text("LATCH_DATA_DIR", "data")), publicUrl, publicUrl.isEmpty() ? "latch" : publicUrl);
            var http = new HttpSettings(
                    integer("LATCH_MAX_BODY_BYTES", 65536, 1024, 16 * 1024 * 1024),
                    cidrs("TRUSTED_PROXIES"),
                    !bool("DISABLE_CSRF_PROTECTION", false),
                    new CookieSettings(cookieSecurity(), cookieDomain),
                    integer("HSTS_MAX_AGE_SECONDS", 31_536_000, 0, 63_072_000),
                    bool("HSTS_INCLUDE_SUBDOMAINS", false));
            var keys = new KeySettings(
                    secret("LATCH_AUTH_SECRET_KEY").map(s -> checkedSecret("LATCH_AUTH_SECRET_KEY", s)),
                    secret("LATCH_ENCRYPTION_KEY").map(s -> checkedSecret("LATCH_ENCRYPTION_KEY", s)));
            var database = database(server.dataDir(), keys);
            var redis = redis(database);
            var sessions = new SessionSettings(
                    Duration.ofSeconds(integer("SESSION_MAX_AGE_SECONDS", 86400, 60, 31_536_000)),
                    Duration.ofSeconds(integer("SESSION_IDLE_TIMEOUT_SECONDS", 14400, 0, 31_536_000)));
            var signIn = new SignInSettings(
                    integer("LOGIN_MAX_ATTEMPTS_PER_IP", 10, 1, 1_000_000),
                    Duration.ofSeconds(integer("LOGIN_WINDOW_SECONDS", 900, 1, 86400)),
                    integer("LOGIN_BAN_MAX_FAILURES", 5, 1, 1000),
                    Duration.ofSeconds(integer("LOGIN_BAN_WINDOW_SECONDS", 600, 1, 86400)),
                    Duration.ofSeconds(integer("LOGIN_BAN_SECONDS", 900, 1, 31_536_000)),
                    !bool("DISABLE_USERPASS_LOGIN", false));
            int minLength = integer("LATCH_PASSWORD_MIN_LENGTH", 8, 1, 1024);
            var passwords = new PasswordSettings(
                    new Argon2Cost(
                            integer("LATCH_ARGON2_MEMORY_KIB", 19456, 8, 4 * 1024 * 1024),
                            integer("LATCH_ARGON2_ITERATIONS", 2, 1, 100),
                            integer("LATCH_ARGON2_PARALLELISM", 1, 1, 64)),
                    minLength,
                    passwordMax(minLength),
                    integer("LATCH_HASH_CONCURRENCY", Runtime.getRuntime().availableProcessors(), 1, 256),
                    integer("LATCH_HASH_QUEUE", 64, 0, 100_000));
            var oauth = new OAuthSettings(
                    Duration.ofSeconds(integer("OAUTH_ACCESS_TOKEN_EXPIRE_SECONDS", 900, 30, 86400)),
                    Duration.ofSeconds(integer("OAUTH_REFRESH_TOKEN_EXPIRE_SECONDS", 2_592_000, 60, 31_536_000)));
            var forwardAuth = new ForwardAuthSettings(
                    path("ACCESS_RULES_FILE"),
                    bool("KIOSK_MODE", false),
                    bool("DISABLE_DOWNLOAD_ENDPOINT_AUTH", false),
                    pathPatterns("DOWNLOAD_ENDPOINT_PATTERNS", ForwardAuthSettings.DEFAULT_DOWNLOAD_PATTERNS));
            var oidc = oidc(publicUrl);
            if (!signIn.passwordLogin() && !oidc.enabled()) {
                throw new InvalidSetting("DISABLE_USERPASS_LOGIN", "needs OIDC_ENABLED=true: with neither, nobody could"
                        + " sign in (the command line's 'admin login-link' is the way in when the provider fails)");
            }
            return new Settings(server, database, redis, http, keys, sessions, signIn, passwords, scopes(), oauth,
                    new ClientTokenSettings(integer("LATCH_MAX_CLIENT_TOKENS", 25, 1, 10_000)),
                    new RegistrationSettings(bool("ALLOW_REGISTRATION", false)),
                    forwardAuth,
                    sfu(),
                    oidc,
                    recovery(publicUrl),
                    limits(signIn),
                    new NetworkSettings(cidrs("ADMIN_ALLOWED_NETWORKS"), cidrs("LOGIN_ALLOWED_NETWORKS")),
                    alerts(),
                    monitoring(),
                    new AuditSettings(Duration.ofDays(integer("AUDIT_RETENTION_DAYS", 90, 1, 36_500))),
                    secret("LATCH_SETUP_CODE").map(this::checkedSetupCode));
        }

        /** Single sign-on, with the ROM manager's names; checked as a whole only when it is switched on. */
        private OidcSettings oidc(String publicUrl) {
            if (!bool("OIDC_ENABLED", false)) {
                return OidcSettings.off();
            }
            String clientId = text("OIDC_CLIENT_ID", "");
            if (clientId.isEmpty()) {
                throw new InvalidSetting("OIDC_CLIENT_ID", "is needed with OIDC_ENABLED=true: the client id the provider gave Latch");
            }
            String issuer = text("OIDC_SERVER_APPLICATION_URL", "");
            if (issuer.isEmpty()) {
                throw new InvalidSetting("OIDC_SERVER_APPLICATION_URL", "is needed with OIDC_ENABLED=true: the provider's"
                        + " issuer URL, such as https://auth.example.com/realms/home");
            }
            String redirect = text("OIDC_REDIRECT_URI", publicUrl.isEmpty() ? "" : publicUrl + OidcSettings.CALLBACK_PATH);
            if (redirect.isEmpty()) {
                throw new InvalidSetting("OIDC_REDIRECT_URI", "is needed with OIDC_ENABLED=true unless LATCH_PUBLIC_URL is"
                        + " set: the address of " + OidcSettings.CALLBACK_PATH + " as browsers reach it");
            }
            List<String> scopes = List.of(text("OIDC_SCOPES", "openid profile email").split("[\\s,]+"));
            if (!scopes.contains("openid")) {
                throw new InvalidSetting("OIDC_SCOPES", "must include openid");
            }
            for (String scope : scopes) {
                if (!scope.matches("[\\x21\\x23-\\x5b\\x5d-\\x7e]+")) {
                    throw new InvalidSetting("OIDC_SCOPES", "'" + scope + "' is not a scope token (RFC 6749 section 3.3)");
                }
            }
            String usernameClaim = text("OIDC_USERNAME_CLAIM", "preferred_username");
            String roleClaim = text("OIDC_ROLE_CLAIM", "");
            return new OidcSettings(true,
                    text("OIDC_PROVIDER", "OpenID"),
                    clientId,
                    secret("OIDC_CLIENT_SECRET").filter(s -> !s.isBlank()),
                    httpUrl("OIDC_SERVER_APPLICATION_URL", issuer),
                    httpUrl("OIDC_REDIRECT_URI", redirect),
                    bool("OIDC_AUTOLOGIN", false),
                    scopes,
                    bool("OIDC_ALLOW_REGISTRATION", false),
                    bool("OIDC_LINK_BY_EMAIL", false),
                    usernameClaim,
                    roleClaim.isEmpty() ? Optional.empty() : Optional.of(roleClaim),
                    words("OIDC_ROLE_ADMIN"),
                    words("OIDC_ROLE_EDITOR"),
                    words("OIDC_ROLE_VIEWER"),
                    bool("OIDC_RP_INITIATED_LOGOUT", false),
                    bool("OIDC_ALLOW_HS256", false));
        }

        /** Reset and sign-in links, and the mail server self-service reset needs. */
        private RecoverySettings recovery(String publicUrl) {
            Optional<SmtpSettings> smtp = Optional.empty();
            String host = text("SMTP_HOST", "");
            if (!host.isEmpty()) {
                if (publicUrl.isEmpty()) {
                    // A mailed link pointing wherever a request's Host header said would hand reset links to whoever sent it.
                    throw new InvalidSetting("SMTP_HOST", "needs LATCH_PUBLIC_URL: the reset links Latch mails point there,"
                            + " and never at whatever host a request names");
                }
                String mode = text("SMTP_SECURITY", "starttls").toLowerCase(Locale.ROOT);
                SmtpSettings.Security security = switch (mode) {
                    case "starttls" -> SmtpSettings.Security.STARTTLS;
                    case "tls" -> SmtpSettings.Security.TLS;
                    case "none" -> SmtpSettings.Security.NONE;
                    default -> throw new InvalidSetting("SMTP_SECURITY", "must be starttls, tls or none, got '" + mode + "'");
                };
                String from = text("SMTP_FROM", "");
                if (!from.matches("[^\\s@<>]+@[^\\s@<>]+")) {
                    throw new InvalidSetting("SMTP_FROM", "is needed with SMTP_HOST: the sender address, such as latch@example.com");
                }
                String user = text("SMTP_USERNAME", "");
                smtp = Optional.of(new SmtpSettings(host, integer("SMTP_PORT", security.defaultPort(), 1, 65535),
                        user.isEmpty() ? Optional.empty() : Optional.of(user), secret("SMTP_PASSWORD"), from, security));
            }
            return new RecoverySettings(Duration.ofSeconds(integer("RESET_LINK_TTL_SECONDS", 3600, 60, 604_800)),
                    RecoverySettings.LOGIN_LINK_TTL, smtp);
        }

        /** The limits on what mints credentials; the names keep two limits' buckets apart. */
        private LimitSettings limits(SignInSettings signIn) {
            return new LimitSettings(
                    limit("LIMIT_TOKEN_PER_CLIENT", "token-client", 60, 60),
                    limit("LIMIT_REFRESH_PER_USER", "refresh", 30, 600),
                    limit("LIMIT_CLIENT_TOKENS_PER_USER", "client-token-user", 60, 3600),
                    limit("LIMIT_CLIENT_TOKENS_PER_CLIENT", "client-token-client", 120, 3600),
                    limit("LIMIT_DEVICE_INIT_PER_CLIENT", "device-init", 10, 60),
                    limit("LIMIT_PAIRING_EXCHANGE_PER_CLIENT", "pairing-exchange", 10, 60),
                    limit("LIMIT_WRONG_CODES_PER_CLIENT", "wrong-code", 5, 60),
                    limit("LIMIT_REGISTER_PER_CLIENT", "register", signIn.maxAttemptsPerClient(),
                            (int) signIn.window().toSeconds()),
                    limit("LIMIT_LINK_GUESSES_PER_CLIENT", "one-time-link", 10, 900),
                    limit("LIMIT_RESET_LINKS_PER_USER", "reset-link-user", 20, 3600),
                    limit("LIMIT_FORGOT_PASSWORD_PER_CLIENT", "forgot-password", 5, 900),
                    limit("LIMIT_RESET_MAIL_PER_ACCOUNT", "reset-mail", 3, 3600));
        }

        /** What raises an alert: bursts of failed sign-ins, counted per account and per client over one window. */
        private AlertSettings alerts() {
            return new AlertSettings(
                    integer("ALERT_FAILED_SIGNINS_PER_ACCOUNT", 10, 2, 1_000_000),
                    integer("ALERT_FAILED_SIGNINS_PER_CLIENT", 10, 2, 1_000_000),
                    Duration.ofSeconds(integer("ALERT_FAILED_SIGNINS_WINDOW_SECONDS", 900, 10, 86400)));
        }

        /** "N/seconds", such as {@code 10/60}: at most N in any such window. */
        private LimitPolicy limit(String variable, String name, int count, int seconds) {
            String v = text(variable, "");
            if (v.isEmpty()) {
                return new LimitPolicy(name, count, Duration.ofSeconds(seconds));
            }
            String[] parts = v.split("/", -1);
            try {
                if (parts.length == 2) {
                    long n = Long.parseLong(parts[0].trim());
                    long window = Long.parseLong(parts[1].trim());
                    if (n >= 1 && n <= 1_000_000 && window >= 1 && window <= 604_800) {
                        return new LimitPolicy(name, n, Duration.ofSeconds(window));
                    }
                }
            } catch (NumberFormatException e) {
                // told below
            }
            throw new InvalidSetting(variable, "must be N/seconds such as " + count + "/" + seconds
                    + " (N from 1 to 1000000, seconds from 1 to 604800), got '" + v + "'");
        }

        /** Metrics and request logs. */
        private MonitoringSettings monitoring() {
            String format = text("LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
            LogFormat logFormat = switch (format) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new InvalidSetting("LOG_FORMAT", "must be text or json, got '" + format + "'");
            };
            return new MonitoringSettings(bool("METRICS_ENABLED", true),
                    secret("METRICS_TOKEN").map(s -> checkedSecret("METRICS_TOKEN", s)), logFormat);
        }

        /** Values separated by commas or spaces (the claim values that map to a role). */
        private List<String> words(String name) {
            String v = text(name, "");
            return v.isEmpty() ? List.of() : List.of(v.split("[\\s,]+"));
        }

        private URI httpUrl(String name, String value) {
            try {
                var uri = new URI(value);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawFragment() != null) {
                    throw new InvalidSetting(name, "must be an http(s) URL without a fragment, got '" + value + "'");
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw new InvalidSetting(name, "is not a valid URL: '" + value + "'");
            }
        }

        /** Netplay, with the ROM manager's variable names and defaults. */
        private SfuSettings sfu() {
            String alg = text("SFU_SIGNING_ALG", "RS256");
            KeyAlgorithm algorithm = KeyAlgorithm.named(alg).orElseThrow(() ->
                    new InvalidSetting("SFU_SIGNING_ALG", "must be RS256 or ES256, got '" + alg + "'"));
            Optional<byte[]> legacy = Optional.empty();
            if (bool("SFU_ACCEPT_LEGACY_HS256", false)) {
                legacy = Optional.of(secret("ROMM_AUTH_SECRET_KEY").map(s -> checkedSecret("ROMM_AUTH_SECRET_KEY", s))
                        .orElseThrow(() -> new InvalidSetting("SFU_ACCEPT_LEGACY_HS256",
                                "needs the ROM manager's secret in ROMM_AUTH_SECRET_KEY (or ROMM_AUTH_SECRET_KEY_FILE)")));
            }
            Optional<String> internal = secret("ROMM_SFU_INTERNAL_SECRET");
            if (internal.isPresent() && internal.get().isBlank()) {
                internal = Optional.empty();
            }
            return new SfuSettings(
                    Duration.ofSeconds(integer("SFU_READ_TOKEN_TTL_SECONDS", 900, 10, 86400)),
                    Duration.ofSeconds(integer("SFU_WRITE_TOKEN_TTL_SECONDS", 30, 5, 3600)),
                    integer("SFU_MINT_PER_MINUTE", 60, 1, 100_000),
                    internal,
                    legacy,
                    algorithm,
                    Duration.ofDays(integer("KEY_ROTATION_DAYS", 30, 1, 3650)),
                    integer("SFU_MAX_ROOMS", 10_000, 1, 1_000_000),
                    Duration.ofSeconds(integer("ROOM_REGISTRY_TTL_SECONDS", 60, 5, 86400)));
        }

        /** The role mappings may only name scopes the catalogue knows, extra ones included. */
        private ScopeSettings scopes() {
            List<String> extra = scopeList("LATCH_EXTRA_SCOPES").orElse(List.of());
            var known = new LinkedHashSet<>(ScopeCatalog.DEFAULT_SCOPES);
            known.addAll(extra);
            var viewer = scopeList("LATCH_VIEWER_SCOPES");
            var editor = scopeList("LATCH_EDITOR_SCOPES");
            requireKnown(known, viewer, "LATCH_VIEWER_SCOPES");
            requireKnown(known, editor, "LATCH_EDITOR_SCOPES");
            return new ScopeSettings(extra, viewer, editor);
        }

        private static void requireKnown(java.util.Set<String> known, Optional<List<String>> scopes, String variable) {
            for (String s : scopes.orElse(List.of())) {
                if (!known.contains(s)) {
                    throw new InvalidSetting(variable, "'" + s + "' is not a known scope; add it with LATCH_EXTRA_SCOPES first");
                }
            }
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
            String v = text("COOKIE_DOMAIN", "").toLowerCase(Locale.ROOT);
            if (v.startsWith(".")) {
                v = v.substring(1);
            }
            if (v.isEmpty()) {
                return "";
            }
            if (v.length() > 253 || !v.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw new InvalidSetting("COOKIE_DOMAIN", "'" + v + "' is not a domain name such as example.com");
            }
            if (!publicUrl.isEmpty()) {
                String host = URI.create(publicUrl).getHost().toLowerCase(Locale.ROOT);
                if (!host.equals(v) && !host.endsWith("." + v)) {
                    throw new InvalidSetting("COOKIE_DOMAIN", "'" + v + "' does not contain LATCH_PUBLIC_URL's host " + host
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
                    throw new InvalidSetting(name, "'" + p + "' is not a path pattern such as /api/roms/*/content/**");
                }
                out.add(p);
            }
            return out;
        }

        private boolean bool(String name, boolean fallback) {
            String v = text(name, "").toLowerCase(Locale.ROOT);
            switch (v) {
                case "": return fallback;
                case "true": case "1": case "yes": return true;
                case "false": case "0": case "no": return false;
                default: throw new InvalidSetting(name, "must be true or false, got '" + v + "'");
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
                    throw new InvalidSetting(name, "'" + scope + "' is not a scope name (lower-case letters, digits, '.', '_', ':' or '-')");
                }
                out.add(scope);
            }
            return Optional.of(out);
        }

        private int passwordMax(int min) {
            int max = integer("LATCH_PASSWORD_MAX_LENGTH", 128, 8, 1024);
            if (max < min) {
                throw new InvalidSetting("LATCH_PASSWORD_MAX_LENGTH", "must not be below LATCH_PASSWORD_MIN_LENGTH (" + min + ")");
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
                    throw new InvalidSetting(name, "must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new InvalidSetting(name, "must be a whole number, got '" + v.trim() + "'");
            }
        }

        /** LATCH_PUBLIC_URL without a trailing slash, or empty when unset. */
        private String publicUrl() {
            String publicUrl = text("LATCH_PUBLIC_URL", "");
            if (publicUrl.isEmpty()) {
                return "";
            }
            try {
                var uri = URI.create(publicUrl);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new InvalidSetting("LATCH_PUBLIC_URL", "must be an http(s) URL such as https://auth.example.com");
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting("LATCH_PUBLIC_URL", "is not a valid URL");
            }
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }

        /** SQLite in the data directory unless LATCH_DATABASE_URL names a PostgreSQL server the nodes share. */
        private DatabaseSettings database(Path dataDir, KeySettings keys) {
            Optional<DatabaseUrl> url;
            try {
                url = DatabaseUrl.parse(secret("LATCH_DATABASE_URL").orElse(""));
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting("LATCH_DATABASE_URL", e.getMessage());
            }
            if (url.isPresent() && keys.encryptionKey().isEmpty()) {
                // A key generated into one node's data directory would seal keys the other nodes cannot open.
                throw new InvalidSetting("LATCH_ENCRYPTION_KEY", "is required with LATCH_DATABASE_URL: every node must"
                        + " open the signing keys the shared database holds; generate one with: openssl rand -hex 32");
            }
            int poolSize = integer("LATCH_DATABASE_POOL_SIZE", url.isPresent() ? 10 : 4, 1, 200);
            var startWait = Duration.ofSeconds(integer("LATCH_DATABASE_WAIT_SECONDS", 15, 0, 600));
            return new DatabaseSettings(dataDir, url, poolSize, startWait);
        }

        /** Redis for the hot shared state, only beside the PostgreSQL database the nodes share. */
        private RedisSettings redis(DatabaseSettings database) {
            Optional<RedisUrl> url;
            try {
                url = RedisUrl.parse(secret("LATCH_REDIS_URL").orElse(""));
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting("LATCH_REDIS_URL", e.getMessage());
            }
            if (url.isPresent() && !database.shared()) {
                throw new InvalidSetting("LATCH_REDIS_URL", "needs LATCH_DATABASE_URL: Redis holds what several nodes share,"
                        + " and nodes share a PostgreSQL database; one box keeps this state in its own memory");
            }
            var timeout = Duration.ofMillis(integer("LATCH_REDIS_TIMEOUT_MS", 2000, 50, 60_000));
            var caFile = path("LATCH_REDIS_CA_FILE");
            if (caFile.isPresent() && url.map(u -> !u.tls()).orElse(true)) {
                throw new InvalidSetting("LATCH_REDIS_CA_FILE", "is for a rediss:// (TLS) LATCH_REDIS_URL");
            }
            return new RedisSettings(url, timeout, caFile);
        }

        /** A secret from {@code NAME} or from the file named by {@code NAME_FILE} (Docker secrets), never both. */
        private Optional<String> secret(String name) {
            String direct = values.get(name);
            String file = values.get(name + "_FILE");
            boolean hasDirect = direct != null && !direct.isEmpty();
            boolean hasFile = file != null && !file.isBlank();
            if (hasDirect && hasFile) {
                throw new InvalidSetting(name, "set either " + name + " or " + name + "_FILE, not both");
            }
            if (hasFile) {
                try {
                    String content = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
                    return Optional.of(content.strip());
                } catch (IOException | RuntimeException e) {
                    throw new InvalidSetting(name + "_FILE", "cannot read the file " + file.trim());
                }
            }
            return hasDirect ? Optional.of(direct) : Optional.empty();
        }

        private byte[] checkedSecret(String variable, String secret) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                // Never echo the secret, not even its length in a way that helps guessing; the minimum is enough.
                throw new InvalidSetting(variable, "must be at least " + MIN_SECRET_BYTES
                        + " bytes; generate one with: openssl rand -hex 32");
            }
            return bytes;
        }

        private String checkedSetupCode(String code) {
            if (code.strip().length() < 8) {
                throw new InvalidSetting("LATCH_SETUP_CODE", "must be at least 8 characters");
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
                    throw new InvalidSetting(name, "'" + part.trim() + "' is not an IP address or CIDR range");
                }
            }
            return out;
        }

        private CookieSettings.Security cookieSecurity() {
            String v = text("COOKIE_SECURE", "auto").toLowerCase(Locale.ROOT);
            switch (v) {
                case "auto": return CookieSettings.Security.AUTO;
                case "true": return CookieSettings.Security.ALWAYS;
                case "false": return CookieSettings.Security.NEVER;
                default: throw new InvalidSetting("COOKIE_SECURE", "must be auto, true or false, got '" + v + "'");
            }
        }
    }
}
