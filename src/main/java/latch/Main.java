package latch;

import io.javalin.Javalin;
import latch.access.AccessGuard;
import latch.access.AnyCredential;
import latch.access.ScopeCatalog;
import latch.account.AccountController;
import latch.account.AccountService;
import latch.audit.AuditController;
import latch.audit.AuditService;
import latch.audit.RefusalAudit;
import latch.audit.SqliteAuditStore;
import latch.clienttoken.ClientTokenController;
import latch.clienttoken.ClientTokenService;
import latch.clienttoken.SqliteClientTokenStore;
import latch.cli.AdminCli;
import latch.http.Csrf;
import latch.http.PublicOrigin;
import latch.invite.InviteController;
import latch.invite.InviteService;
import latch.invite.SqliteInviteStore;
import latch.oauth.OAuthController;
import latch.oauth.OAuthService;
import latch.oauth.SqliteRefreshTokenStore;
import latch.pairing.PairingController;
import latch.pairing.PairingService;
import latch.pairing.SqlitePairingStore;
import latch.pairing.UserCode;
import latch.session.Regulation;
import latch.session.SignIn;
import latch.session.SqliteLoginFailureStore;
import latch.user.UserAdministration;
import latch.user.UserController;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Migrations;
import latch.db.OutsideChangeWatcher;
import latch.db.SqliteOutsideChanges;
import latch.forwardauth.AccessRules;
import latch.forwardauth.ForwardAuthController;
import latch.forwardauth.ForwardAuthService;
import latch.forwardauth.PathPattern;
import latch.forwardauth.RedirectTarget;
import latch.health.HealthController;
import latch.http.TrustedProxies;
import latch.limit.LimitPolicy;
import latch.limit.LocalRateLimiter;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.CaffeineBlocklist;
import latch.session.SessionController;
import latch.session.SessionCookie;
import latch.session.SessionService;
import latch.session.SqliteRevocationStore;
import latch.session.SqliteSessionStore;
import latch.setup.SetupCode;
import latch.setup.SetupController;
import latch.setup.SetupService;
import latch.token.HmacSigningKeys;
import latch.token.RandomSecrets;
import latch.token.SqliteSecretStore;
import latch.token.TokenService;
import latch.user.SqliteUserStore;
import latch.user.UserService;
import latch.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Reads the settings, builds every object with {@code new}, and starts the server. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final int DB_POOL_SIZE = 4;
    private static final String JWT_SECRET_NAME = "jwt_hs256";

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("warmup")) {
            System.exit(Warmup.run());
            return;
        }
        if (args.length > 0 && args[0].equals("healthcheck")) {
            System.exit(Healthcheck.run(System.getenv()));
            return;
        }
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(new AdminCli(Clock.systemUTC()).run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    System.in, System.out, System.err));
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(System.getenv(), args);
        } catch (Settings.Invalid e) {
            System.err.println("latch: invalid setting " + e.getMessage());
            System.exit(2);
            return;
        }
        Deps deps;
        try {
            deps = wire(settings, Clock.systemUTC());
        } catch (DatabaseException e) {
            System.err.println("latch: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Settings.Invalid e) {
            System.err.println("latch: invalid setting " + e.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = App.create(deps, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            deps.close();
        }, "latch-shutdown"));
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            System.err.println("latch: cannot listen on " + settings.host() + ":" + settings.port() + ": " + root.getMessage());
            deps.close();
            System.exit(1);
            return;
        }
        log.info("Latch is listening on http://{}:{} with data in {}", settings.host(), app.port(), settings.dataDir().toAbsolutePath());
    }

    /** Builds everything the app needs from the settings; the tests call this too. */
    public static Deps wire(Settings settings, Clock clock) {
        Database db = new Database(settings.dataDir(), DB_POOL_SIZE);
        try {
            Migrations.apply(db);
            return wire(settings, clock, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Deps wire(Settings settings, Clock clock, Database db) {
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, Database.BACKGROUND_THREAD);
            t.setDaemon(true);
            return t;
        });

        byte[] secret = settings.authSecret()
                .orElseGet(() -> new SqliteSecretStore(db, clock).getOrCreate(JWT_SECRET_NAME, () -> RandomSecrets.bytes(32)));
        var tokens = new TokenService(new HmacSigningKeys(secret), settings.issuer(), clock);
        var scopes = ScopeCatalog.from(settings);
        var proxies = new TrustedProxies(settings.trustedProxies());
        var audit = new AuditService(new SqliteAuditStore(db), clock);

        var userStore = new SqliteUserStore(db, clock);
        var users = new UserService(userStore);
        var policy = new PasswordPolicy(settings.passwordMinLength(), settings.passwordMaxLength());
        var hasher = new PasswordHasher(settings.argon2(), settings.hashConcurrency(), settings.hashQueue());
        var limiter = new LocalRateLimiter(clock, 100_000);
        var loginLimit = new LimitPolicy("login", settings.loginMaxAttempts(), settings.loginWindow());
        var regulation = new Regulation(new SqliteLoginFailureStore(db), settings.banMaxFailures(), settings.banWindow(),
                settings.banDuration(), clock);

        var revocations = new SqliteRevocationStore(db);
        var blocklist = new CaffeineBlocklist(revocations, clock);
        background.scheduleAtFixedRate(() -> revocations.purgeExpired(clock.instant()), 1, 1, TimeUnit.HOURS);

        var sessions = new SessionService(users, scopes, tokens, new SqliteSessionStore(db), blocklist, limiter, audit,
                settings.sessionMaxAge(), settings.sessionIdleTimeout(), background, clock);
        background.scheduleWithFixedDelay(new OutsideChangeWatcher(new SqliteOutsideChanges(db),
                List.of(users::forgetAll, sessions::forgetCachedSessions)), 2, 2, TimeUnit.SECONDS);
        var signIn = new SignIn(users, hasher, policy, regulation, limiter, loginLimit, audit);
        var clientTokens = new ClientTokenService(new SqliteClientTokenStore(db), users, scopes, audit, settings.maxClientTokens(),
                background, clock);
        var credentials = new AnyCredential(sessions, clientTokens::authenticate);
        var guard = new AccessGuard(credentials, proxies);
        var sessionController = new SessionController(signIn, sessions,
                new SessionCookie(settings.cookieSecurity(), clock, settings.cookieDomain()), proxies, guard);

        var admin = new UserAdministration(users, userStore, policy, hasher, sessions, regulation, audit);
        var account = new AccountService(users, admin, signIn, policy, hasher, sessions, audit);
        var invites = new InviteService(new SqliteInviteStore(db, clock), userStore, policy, hasher, sessions, audit, limiter,
                new LimitPolicy("register", settings.loginMaxAttempts(), settings.loginWindow()), settings.allowRegistration(), clock);
        var oauth = new OAuthService(signIn, sessions, users, scopes, new SqliteRefreshTokenStore(db), audit,
                settings.oauthAccessLifetime(), settings.oauthRefreshLifetime(), clock);

        var origin = new PublicOrigin(settings.publicUrl(), proxies);
        var pairing = new PairingService(new SqlitePairingStore(db), clientTokens, users, scopes, audit, limiter,
                new LimitPolicy("wrong-code", 5, Duration.ofMinutes(1)), new LimitPolicy("device-init", 10, Duration.ofMinutes(1)), UserCode::fresh, clock);

        var setupCode = SetupCode.prepare(settings.dataDir(), settings.setupCode(), users.hasUsers());
        var setup = new SetupService(users, policy, hasher, setupCode, sessions, limiter,
                new LimitPolicy("setup", settings.loginMaxAttempts(), settings.loginWindow()), audit);
        var csrf = new Csrf(secret, settings.csrfProtection(), proxies, settings.cookieDomain(), guard::credentialInHeader);
        var rules = AccessRules.load(settings.accessRulesFile(), scopes);
        var forwardAuth = new ForwardAuthService(rules, scopes, settings.publicUrl(), settings.kioskMode(),
                settings.downloadEndpointAuthDisabled(),
                settings.downloadEndpointPatterns().stream().map(PathPattern::of).collect(Collectors.toList()));
        relaxedSettingWarnings(settings, forwardAuth.kioskScopes()).forEach(log::warn);

        return new Deps(db, background, guard, csrf, new RefusalAudit(audit, proxies), sessionController,
                new AccountController(account, sessions, sessionController, audit, proxies),
                new UserController(admin, sessions, proxies),
                new InviteController(invites, sessionController, proxies, origin),
                new OAuthController(oauth, proxies),
                new ClientTokenController(clientTokens, proxies),
                new PairingController(pairing, proxies, origin),
                new AuditController(audit, users),
                new SetupController(setup, sessionController, proxies), new HealthController(db),
                new Pages(csrf, "index", "login", "setup", "account", "admin", "register", "pair"),
                new ForwardAuthController(forwardAuth, credentials, proxies,
                        RedirectTarget.of(settings.publicUrl(), settings.cookieDomain(), rules), origin));
    }

    /** What the operator switched off or opened up, one line each, for the log at start. */
    static List<String> relaxedSettingWarnings(Settings settings, Set<String> kioskScopes) {
        var warnings = new ArrayList<String>();
        if (!settings.csrfProtection()) {
            warnings.add("DISABLE_CSRF_PROTECTION=true: cookie-authenticated requests are no longer checked for CSRF. "
                    + "Only do this behind a reverse proxy that strips cross-origin traffic.");
        }
        if (settings.allowRegistration()) {
            warnings.add("ALLOW_REGISTRATION=true: anyone who can reach Latch can create a viewer account.");
        }
        if (settings.kioskMode()) {
            warnings.add("KIOSK_MODE=true: anonymous GET/HEAD requests to apps behind forward-auth now pass rules that need "
                    + "'authenticated' or one of these scopes: " + String.join(" ", kioskScopes) + ". Writes, role rules and "
                    + "Latch's own pages still need a signed-in user."
                    + (settings.publicUrl().isEmpty() ? " Set LATCH_PUBLIC_URL so Latch can tell its own host from the apps'." : ""));
        }
        if (settings.downloadEndpointAuthDisabled()) {
            warnings.add("DISABLE_DOWNLOAD_ENDPOINT_AUTH=true: anonymous GET/HEAD requests on "
                    + String.join(", ", settings.downloadEndpointPatterns()) + " pass forward-auth for every app host "
                    + "(unless a rule denies them). Only do this when the internet cannot reach those apps.");
        }
        return warnings;
    }
}
