package latch;

import io.javalin.Javalin;
import latch.access.AccessGuard;
import latch.access.AnyCredential;
import latch.access.ScopeCatalog;
import latch.account.AccountController;
import latch.account.AccountService;
import latch.account.Accounts;
import latch.account.AdminUserController;
import latch.account.AuditLogController;
import latch.account.UserAdministration;
import latch.access.NetworkGate;
import latch.alert.AlertController;
import latch.alert.AlertService;
import latch.alert.SqlAlertStore;
import latch.alert.SqlKnownNetworks;
import latch.apps.AppsController;
import latch.apps.AppsService;
import latch.apps.SqlAppStore;
import latch.audit.AuditService;
import latch.audit.LocalRefusalWindows;
import latch.audit.RefusalAudit;
import latch.audit.RedisRefusalWindows;
import latch.audit.RefusalWindows;
import latch.audit.SqlAuditStore;
import latch.audit.SqlRefusalWindows;
import latch.backup.Backups;
import latch.change.SqlChangeFeed;
import latch.cli.AdminCli;
import latch.clienttoken.ClientTokenController;
import latch.clienttoken.ClientTokenService;
import latch.clienttoken.SqlClientTokenStore;
import latch.config.InvalidSetting;
import latch.dashboard.DashboardController;
import latch.dashboard.DashboardService;
import latch.dashboard.SqlDashboardStore;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Migrations;
import latch.federation.Federation;
import latch.forwardauth.AccessRules;
import latch.forwardauth.ForwardAuthController;
import latch.forwardauth.ForwardAuthService;
import latch.forwardauth.RedirectTarget;
import latch.health.HealthController;
import latch.health.Readiness;
import latch.http.Csrf;
import latch.http.PublicOrigin;
import latch.http.SecurityHeaders;
import latch.http.TrustedProxies;
import latch.invite.InviteController;
import latch.invite.InviteService;
import latch.invite.SqlInviteStore;
import latch.jobs.Jobs;
import latch.jobs.Purge;
import latch.keys.PublishedKeys;
import latch.limit.LimitPolicy;
import latch.limit.LocalRateLimiter;
import latch.limit.RateLimiter;
import latch.limit.RedisRateLimiter;
import latch.limit.SharedRateLimiter;
import latch.redis.Redis;
import latch.metrics.Metrics;
import latch.monitoring.LogSink;
import latch.monitoring.Monitoring;
import latch.oauth.OAuthController;
import latch.oauth.OAuthService;
import latch.oauth.SqlRefreshTokenStore;
import latch.oidc.Oidc;
import latch.oidc.SignInOptions;
import latch.pairing.PairingController;
import latch.pairing.PairingService;
import latch.pairing.SqlPairingStore;
import latch.pairing.UserCode;
import latch.privacy.PersonalData;
import latch.privacy.PersonalDataController;
import latch.recovery.Recovery;
import latch.recovery.RecoveryService;
import latch.password.PasswordHasher;
import latch.password.PasswordPolicy;
import latch.session.CompactBlocklist;
import latch.session.MeAnswer;
import latch.session.Regulation;
import latch.session.SessionController;
import latch.session.SessionCookie;
import latch.session.SessionService;
import latch.session.SignIn;
import latch.session.SignedIn;
import latch.session.SqlLoginFailureStore;
import latch.session.SqlRevocationStore;
import latch.session.SqlSessionStore;
import latch.setup.SetupCode;
import latch.setup.SetupController;
import latch.setup.SetupService;
import latch.sfu.Netplay;
import latch.token.FixedKey;
import latch.token.KeyRing;
import latch.token.KeySource;
import latch.token.RandomSecrets;
import latch.token.SealedSecrets;
import latch.token.SealingKey;
import latch.token.TokenProfile;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.SqlUserStore;
import latch.user.UserDirectory;
import latch.web.ApiDescription;
import latch.web.Assets;
import latch.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Reads the settings, builds every object with {@code new}, and starts the server (or runs an admin command). */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    /** The change feed is read this often: how long another process's change takes to reach this one, at most. */
    static final Duration FEED_POLL = Duration.ofSeconds(1);
    /** The Redis channel a committed change is announced on (under the install's prefix). */
    private static final String FEED_CHANNEL = "changes";
    /** How long the change log keeps a change: a process that fell further behind than this starts its caches afresh. */
    static final Duration FEED_KEEP = Duration.ofHours(1);
    static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final int PURGE_BATCH = 1000;
    /** Enough for a first start with years of audit events to catch up in one run (2,000,000 rows of each kind). */
    private static final int PURGE_MAX_BATCHES = 2000;
    /** Between two batches: requests waiting for the write lock get it, and the purge takes at most a core's share. */
    private static final Duration PURGE_PAUSE = Duration.ofMillis(5);
    /**
     * Below this many revocations the blocklist is read before the server answers (about 35 ms for 10,000); above,
     * in the background, while checks go to the indexed table.
     */
    private static final int BLOCKLIST_LOAD_INLINE = 10_000;
    private static final Duration BLOCKLIST_LOAD_DELAY = Duration.ofSeconds(2);
    static final String JOB_FEED = "change-feed";
    static final String JOB_PURGE = "purge";

    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Main() {}

    public static void main(String[] args) {
        // Jetty pads its queues to the cache line and asks JMX whether references are compressed to size the
        // padding: starting JMX's platform server for it took a tenth of Latch's start-up. Below 32 GB of heap they
        // are; a wrong guess only costs a little padding.
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, Runtime.getRuntime().maxMemory() < (32L << 30) ? "16" : "8");
        }
        if (args.length > 0 && args[0].equals("warmup")) {
            System.exit(Warmup.run());
            return;
        }
        if (args.length > 0 && args[0].equals("healthcheck")) {
            System.exit(Healthcheck.run(System.getenv()));
            return;
        }
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(adminCli(System.getenv(), Clock.systemUTC()).run(Arrays.copyOfRange(args, 1, args.length),
                    System.in, System.out, System.err));
            return;
        }
        Settings settings;
        Deps deps;
        try {
            settings = Settings.parse(System.getenv(), args);
            deps = wire(settings, Clock.systemUTC());
        } catch (InvalidSetting e) {
            System.err.println("latch: invalid setting " + e.getMessage());
            System.exit(2);
            return;
        } catch (DatabaseException | IllegalStateException e) {
            System.err.println("latch: " + e.getMessage());
            System.exit(1);
            return;
        }
        Javalin app = App.create(deps, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            deps.close();
        }, "latch-shutdown"));
        var server = settings.server();
        try {
            app.start(server.host(), server.port());
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            System.err.println("latch: cannot listen on " + server.host() + ":" + server.port() + ": " + root.getMessage());
            deps.close();
            System.exit(1);
            return;
        }
        log.info("Latch is listening on http://{}:{} with data in {}", server.host(), app.port(), settings.dataDir().toAbsolutePath());
    }

    /** The admin command line, acting through the same services as the server; the tests call this too. */
    public static AdminCli adminCli(java.util.Map<String, String> env, Clock clock) {
        return new AdminCli((flags, mayCreate) -> {
            Settings settings = Settings.parse(env, flags);
            Path file = settings.dataDir().resolve(Database.FILE_NAME);
            if (!mayCreate && !settings.database().shared() && !Files.isRegularFile(file)) {
                throw new DatabaseException("there is no Latch database at " + file.toAbsolutePath()
                        + "; point --data-dir or LATCH_DATA_DIR at the server's data directory", null);
            }
            // One hash at a time is all a command needs.
            var oneAtATime = settings.withPasswords(new latch.password.PasswordSettings(settings.passwords().argon2(),
                    settings.passwords().minLength(), settings.passwords().maxLength(), 1, 1));
            Deps deps = wire(oneAtATime, clock, false);
            return new AdminCli.Toolbox() {
                @Override public UserAdministration users() { return deps.userAdministration(); }
                @Override public UserDirectory directory() { return deps.users(); }
                @Override public Accounts accounts() { return deps.accounts(); }
                @Override public PasswordPolicy policy() { return deps.passwordPolicy(); }
                @Override public Set<String> allScopes() { return deps.scopes().all(); }
                @Override public List<KeyRing> keyRings() { return deps.keyRings(); }
                @Override public List<PublishedKeys> publishedKeys() { return deps.publishedKeys(); }
                @Override public RecoveryService recovery() { return deps.recovery().service(); }
                @Override public String linkOrigin() {
                    String url = settings.server().publicUrl();
                    return url.isEmpty() ? "http://localhost:" + settings.server().port() : url;
                }
                @Override public boolean usesFixedKey() { return settings.keys().authSecret().isPresent(); }
                @Override public Path dataDir() { return settings.dataDir(); }
                @Override public void close() { deps.close(); }
            };
        }, flags -> {
            Settings settings = Settings.parse(env, flags);
            if (settings.database().shared()) {
                throw new Backups.Refused("the data is in the " + settings.database().url().orElseThrow().describe()
                        + ": back it up with pg_dump (see README, Several nodes)");
            }
            return new Backups(settings.dataDir(), clock);
        }, flags -> {
            Settings settings = Settings.parse(env, flags);
            return new AdminCli.MoveSettings(settings.database().url(), settings.keys().encryptionKey(),
                    settings.database().startWait());
        });
    }

    /** Builds everything the server needs from the settings, its jobs scheduled; the tests call this too. */
    public static Deps wire(Settings settings, Clock clock) {
        return wire(settings, clock, true, null);
    }

    /** Like {@link #wire(Settings, Clock)}, the request and sign-in lines going to {@code sink}; for tests that read them. */
    public static Deps wire(Settings settings, Clock clock, LogSink sink) {
        return wire(settings, clock, true, sink);
    }

    static Deps wire(Settings settings, Clock clock, boolean server) {
        return wire(settings, clock, server, null);
    }

    /** {@code server}: false for a short-lived process (the command line), which schedules no jobs. */
    private static Deps wire(Settings settings, Clock clock, boolean server, LogSink sink) {
        Database db = Database.open(settings.database());
        Jobs jobs = new Jobs(clock, server);
        Optional<Redis> redis = Optional.empty();
        try {
            Migrations.apply(db);
            // Connects on first use: a Redis that is not up yet fails the requests that need it (503), not the start.
            redis = settings.redis().url().map(u -> Redis.connect(settings.redis()));
            return wire(settings, clock, db, redis, jobs, server, sink);
        } catch (RuntimeException e) {
            jobs.close();
            redis.ifPresent(Redis::close);
            db.close();
            throw e;
        }
    }

    private static Deps wire(Settings settings, Clock clock, Database db, Optional<Redis> redis, Jobs jobs, boolean server,
                             LogSink sink) {
        // With Redis, other nodes hear of a commit through its pub/sub rather than PostgreSQL's NOTIFY.
        var feed = new SqlChangeFeed(db, clock, redis.map(r -> r.announcer(r.channel(FEED_CHANNEL), jobs.deferred())).orElse(null));
        var proxies = new TrustedProxies(settings.http().trustedProxies());
        var monitoring = Monitoring.wire(settings.monitoring(), server, proxies, sink, clock);
        Metrics metrics = monitoring.metrics();
        var scopes = ScopeCatalog.from(settings.scopes());
        var audit = new AuditService(new SqlAuditStore(db), clock);
        var counters = Counters.of(settings, db, redis, metrics, clock);
        var refusalWindows = counters.refusals();
        var limiter = counters.limiter();
        // The command line never creates latch.key: a key the server never had would seal keys it cannot open.
        var sealingKey = SealingKey.find(settings.keys().encryptionKey(), settings.dataDir(), server);
        var sealing = sealingKey.orElseGet(() -> SealingKey.of(RandomSecrets.bytes(32)));
        if (settings.database().shared()) {
            new SealedSecrets(db, sealing, clock).confirmSharedKey();
        }

        // Tokens: each type its own keys, generated and sealed in the database unless the operator fixed one.
        var keyRings = new ArrayList<KeyRing>();
        KeySource sessionKeys = keys(settings, "session", settings.sessions().maxAge(), db, feed, sealing, clock, keyRings, server);
        KeySource accessKeys = keys(settings, "access", settings.oauth().accessLifetime(), db, feed, sealing, clock, keyRings, server);
        String issuer = settings.server().issuer();
        var tokens = new TokenService(List.of(
                new TokenProfile(TokenType.SESSION, issuer, settings.sessions().maxAge(), Set.of("HS256"), sessionKeys),
                new TokenProfile(TokenType.ACCESS, issuer, settings.oauth().accessLifetime(), Set.of("HS256"), accessKeys)),
                issuer, feed, metrics, clock);

        // Users and passwords.
        var userStore = new SqlUserStore(db, clock);
        var users = new UserDirectory(userStore, db, feed, clock);
        var pw = settings.passwords();
        var policy = new PasswordPolicy(pw.minLength(), pw.maxLength());
        var hasher = new PasswordHasher(pw.argon2(), pw.hashConcurrency(), pw.hashQueue());

        // Anomalies flagged for the admin, and the limits on everything that mints a credential.
        var limits = settings.limits();
        var alerts = new AlertService(new SqlAlertStore(db), new SqlKnownNetworks(db), users, limiter, settings.alerts(),
                audit, feed, clock);

        // Sessions and signing in.
        var si = settings.signIn();
        var loginLimit = new LimitPolicy("login", si.maxAttemptsPerClient(), si.window());
        var regulation = new Regulation(new SqlLoginFailureStore(db), si.banMaxFailures(), si.banWindow(), si.banDuration(), clock);
        var revocations = new SqlRevocationStore(db);
        var blocklist = new CompactBlocklist(revocations, feed, clock);
        var sessionStore = new SqlSessionStore(db);
        var sessions = new SessionService(users, scopes, tokens, sessionStore, blocklist, db, feed, limiter,
                limits.refreshPerUser(), alerts, audit, settings.sessions(), jobs.deferred(), clock);
        var signIn = new SignIn(users, hasher, policy, regulation, limiter, loginLimit, audit, alerts, si.passwordLogin(),
                metrics, monitoring.log());
        var sessionCookie = new SessionCookie(settings.http().cookies(), clock);
        var signedIn = new SignedIn(sessionCookie);
        var me = new MeAnswer(clock);

        // Client tokens, and who may call what.
        var clientTokenStore = new SqlClientTokenStore(db);
        var clientTokens = new ClientTokenService(clientTokenStore, db, feed, users, scopes, audit, alerts, limiter, limits,
                settings.clientTokens(), jobs.deferred(), metrics, clock);
        var credentials = new AnyCredential(sessions, clientTokens::authenticate, feed::inStep);
        var guard = new AccessGuard(credentials, proxies);

        // Accounts: created in one place, administered, changed by their owners.
        var accounts = new Accounts(userStore, db, feed, policy, hasher, audit);
        var admin = new UserAdministration(users, userStore, db, feed, policy, hasher, regulation, audit);
        var account = new AccountService(users, userStore, db, feed, signIn, policy, hasher, sessions, audit);
        var inviteStore = new SqlInviteStore(db);
        var invites = new InviteService(inviteStore, accounts, users, scopes, db, sessions, signIn, audit, limiter,
                limits.registerPerClient(), limits.linkGuessesPerClient(), settings.registration(), clock);
        // Nodes of a shared database derive one code from one sealed secret: the page works whichever node answers.
        Optional<byte[]> sharedSetupSeed = settings.database().shared() && server && !users.isClaimed()
                ? Optional.of(new SealedSecrets(db, sealing, clock).getOrCreate("setup_code")) : Optional.empty();
        var setupCode = SetupCode.prepare(settings.dataDir(), settings.setupCode(), sharedSetupSeed, users.isClaimed());
        var setup = new SetupService(users, accounts, setupCode, sessions, limiter,
                new LimitPolicy("setup", si.maxAttemptsPerClient(), si.window()), audit, refusalWindows);

        // OAuth, devices, reverse proxies.
        var refreshTokens = new SqlRefreshTokenStore(db);
        var oauth = new OAuthService(signIn, sessions, users, scopes, refreshTokens, db, audit, alerts, alerts, limiter, limits,
                settings.oauth(), clock);
        String publicUrl = settings.server().publicUrl();
        var origin = new PublicOrigin(publicUrl, proxies);
        var recovery = Recovery.wire(settings.recovery(), publicUrl, db, users, admin, sessions, signIn, signedIn, limiter,
                limits, audit, proxies, origin, metrics, clock);
        var pairingStore = new SqlPairingStore(db);
        var pairing = new PairingService(pairingStore, db, clientTokens, users, scopes, audit, limiter, limits,
                UserCode::fresh, clock);
        // The command line answers no browser: it needs no CSRF key, and must not replace the server's.
        byte[] csrfKey = server ? new SealedSecrets(db, sealing, clock).getOrCreate("csrf_hmac") : RandomSecrets.bytes(32);
        var csrf = new Csrf(csrfKey, settings.http().csrfProtection(), proxies, settings.http().cookies(), guard::credentialInHeader);
        var fa = settings.forwardAuth();
        var rules = AccessRules.load(fa.accessRulesFile(), scopes);
        var forwardAuth = new ForwardAuthService(rules, scopes, publicUrl, fa, clock);
        if (server) {
            relaxedSettingWarnings(settings, forwardAuth.kioskScopes()).forEach(log::warn);
        }
        var redirects = RedirectTarget.of(publicUrl, settings.http().cookies().domain(), rules);

        // Single sign-on through an OpenID provider.
        var signInOptions = new SignInOptions(si.passwordLogin(), settings.oidc().enabled(), settings.oidc().provider(),
                settings.oidc().autologin(), settings.registration().open(),
                settings.recovery().mailConfigured() ? "email" : "admin", policy.min(), policy.max());
        var oidc = Oidc.wire(settings.oidc(), signInOptions, db, users, userStore, accounts, sessions, feed, audit, sealing,
                redirects::safe, sessionCookie, settings.http().cookies(), proxies, metrics, clock);

        // Netplay: tokens for the ROM manager's SFU, signed with published keys; federation: the tokens and rooms of
        // the other instances this one trusts, checked with the keys they publish.
        var netplayKeys = Netplay.signingKeys(settings.sfu(), db, feed, sealing, clock, server);
        var federation = Federation.wire(issuer, publicUrl, netplayKeys, db, feed, audit, clock);
        var netplay = Netplay.wire(settings.sfu(), netplayKeys, issuer, federation.keys(), federation.rooms(), db,
                settings.database().shared(), redis, feed, limiter, alerts, proxies, jobs, metrics, clock);
        if (server && settings.sfu().internalSecret().isPresent() && settings.sfu().internalSecret().get().length() < 32) {
            log.warn("ROMM_SFU_INTERNAL_SECRET is shorter than 32 characters: anyone who guesses it can check and use up"
                    + " netplay tokens; generate one with: openssl rand -hex 32");
        }

        // Jobs: the change feed, and what no one needs any more.
        var purgeSteps = new ArrayList<>(List.of(
                new Purge.Step("sessions", n -> sessionStore.purgeEnded(clock.instant().minus(Duration.ofDays(1)), n)),
                new Purge.Step("refresh_tokens", n -> refreshTokens.purgeExpired(clock.instant(), n)),
                new Purge.Step("revocations", blocklist::purge),
                new Purge.Step("invites", n -> inviteStore.purgeSpent(clock.instant().minus(Duration.ofDays(7)), n)),
                new Purge.Step("one_time_links", recovery.service()::purge),
                new Purge.Step("pairing", n -> pairingStore.purgeExpired(clock.instant().minus(Duration.ofHours(1)), n)),
                new Purge.Step("oidc_sign_ins", n -> oidc.attempts().purgeExpired(clock.instant(), n)),
                new Purge.Step("client_tokens", n -> clientTokenStore.purgeDead(clock.instant().minus(Duration.ofDays(30)), n)),
                new Purge.Step("signing_keys", n -> keyRings.stream().mapToInt(KeyRing::purgeRetired).sum()),
                new Purge.Step("published_keys", n -> netplay.keys().purgeRetired()),
                new Purge.Step("change_log", n -> feed.prune(FEED_KEEP, n)),
                new Purge.Step("audit_events", n -> audit.purgeExpired(settings.audit().retention(), n))));
        purgeSteps.addAll(counters.purgeSteps());
        var purge = new Purge(purgeSteps, PURGE_BATCH, PURGE_MAX_BATCHES, PURGE_PAUSE, metrics::purged);
        jobs.every(JOB_FEED, FEED_POLL, FEED_POLL, feed::poll);
        if (server) {
            // Another node's change wakes the feed at once (Redis pub/sub, or PostgreSQL's LISTEN); the poll above is
            // the safety net. Only a lost LISTEN puts the node out of step: it shares the database connection's fate,
            // while a lost Redis subscription leaves the poll, which reads the database, as current as ever.
            jobs.closeWith(redis.isPresent()
                    ? redis.get().subscribe(redis.get().channel(FEED_CHANNEL), () -> jobs.wakeUp(JOB_FEED))
                    : db.listen(SqlChangeFeed.CHANNEL, () -> jobs.wakeUp(JOB_FEED), feed::lost));
        }
        jobs.every(JOB_PURGE, PURGE_EVERY, Duration.ofSeconds(30), purge);
        if (server) {
            if (revocations.countActive(clock.instant(), BLOCKLIST_LOAD_INLINE + 1) <= BLOCKLIST_LOAD_INLINE) {
                blocklist.load();
            } else {
                // After the server is up: read at once, it took CPU from the start-up (0.9 s became 1.3 s with
                // 100,000 revocations on two cores). Until it is read, checks go to the table.
                jobs.once("blocklist-load", BLOCKLIST_LOAD_DELAY, blocklist::load);
            }
        }

        // What /metrics reads when scraped; the open alerts' count joins these when the alerts land.
        metrics.watch(Metrics.Gauge.BLOCKLIST_SIZE, blocklist::size);
        metrics.watch(Metrics.Gauge.WRITE_TOKEN_LEDGER_SIZE, netplay.service()::ledgerSize);
        metrics.watch(Metrics.Gauge.ARGON2_QUEUE, hasher::queueLength);
        metrics.watch(Metrics.Gauge.OPEN_ALERTS, alerts::openCount);
        var readiness = new Readiness(List.of(
                new Readiness.Check("database", "the database does not take writes", db::isWritable),
                new Readiness.Check("redis", "Redis does not answer (" + redis.map(Redis::describe).orElse("") + ")",
                        () -> redis.map(Redis::answers).orElse(true)),
                new Readiness.Check("migrations", "the database schema is not the one this Latch expects",
                        () -> Migrations.appliedVersion(db) == Migrations.latestVersion()),
                new Readiness.Check("keys", "the signing keys cannot be loaded", () -> {
                    sessionKeys.signing();
                    accessKeys.signing();
                    netplayKeys.signer();
                    return true;
                })));

        // Rotating needs the real encryption key: sealed with any other, the server could not open the new keys.
        List<KeyRing> rotatable = sealingKey.isPresent() ? List.copyOf(keyRings) : List.of();
        List<PublishedKeys> rotatablePublished = sealingKey.isPresent() ? List.of(netplayKeys) : List.of();
        var securityHeaders = new SecurityHeaders(settings.http(), proxies);
        return new Deps(db, redis, jobs, feed, purge, blocklist, rotatable, rotatablePublished, scopes, users, admin, accounts, policy,
                guard, new NetworkGate(settings.networks(), scopes, proxies), sessions, clientTokens, csrf, securityHeaders,
                new RefusalAudit(audit, proxies, refusalWindows),
                new SessionController(signIn, sessions, signedIn, me, proxies, oidc.signOut()),
                new AccountController(account, sessions, signedIn, me, audit, proxies),
                new AdminUserController(admin, accounts, sessions, proxies),
                new AuditLogController(audit, users),
                new InviteController(invites, signedIn, proxies, origin),
                recovery,
                new OAuthController(oauth, proxies),
                new ClientTokenController(clientTokens, proxies),
                new PairingController(pairing, proxies, origin),
                new SetupController(setup, signedIn, proxies), new HealthController(db, readiness),
                new Pages(csrf, "index", "login", "setup", "account", "admin", "register", "pair", "reset", "forgot"),
                new Assets("api.js", "ui.js", "events.js", "tokens.js", "index.js", "login.js", "setup.js", "register.js",
                        "scope-words.js",
                        "text-common.js", "text-index.js", "text-login.js", "text-setup.js", "text-register.js", "text-reset.js",
                        "text-forgot.js", "text-pair.js",
                        "text-account.js", "text-events.js", "text-tokens.js", "text-identities.js",
                        "text-admin.js", "text-dashboard.js", "text-apps.js",
                        "account.js", "identities.js", "admin.js", "dashboard.js", "pair.js", "reset.js", "forgot.js", "latch.css", "latch.svg",
                        "apps.js", "app-symbols.js"),
                new ForwardAuthController(forwardAuth, credentials, proxies,
                        redirects, origin, securityHeaders),
                netplay, federation, federation.controller(netplay.roomService(), origin, proxies), oidc,
                new ApiDescription(),
                new DashboardController(new DashboardService(new SqlDashboardStore(db), () -> OptionalLong.of(alerts.openCount()), clock)),
                alerts, new AlertController(alerts, proxies),
                monitoring.guardedBy(settings.monitoring().metricsToken(), guard),
                new PersonalDataController(new PersonalData(users, userStore, db, feed, signIn, sessions, clientTokens,
                        oidc.service(), audit, clock), signedIn, proxies),
                new AppsController(new AppsService(new SqlAppStore(db), db, scopes, audit, clock), proxies));
    }

    /**
     * The rate limits and the refusal audit's windows: in memory on one box; in Redis, or else in the database, when
     * several nodes share them, so a client spreading its tries over the nodes gets what one node would allow, not as
     * much again from each, and a flood of refusals is audited once, not once per node. Rows in the database go with
     * the purge; Redis forgets its keys itself.
     */
    private record Counters(RateLimiter limiter, RefusalWindows refusals, List<Purge.Step> purgeSteps) {
        static Counters of(Settings settings, Database db, Optional<Redis> redis, Metrics metrics, Clock clock) {
            if (redis.isPresent()) {
                return new Counters(new RedisRateLimiter(redis.get(), clock, metrics),
                        new RedisRefusalWindows(redis.get(), clock), List.of());
            }
            if (!settings.database().shared()) {
                return new Counters(new LocalRateLimiter(clock, 100_000, metrics), new LocalRefusalWindows(clock, 100_000),
                        List.of());
            }
            var limiter = new SharedRateLimiter(db, clock, metrics);
            var refusals = new SqlRefusalWindows(db, clock);
            return new Counters(limiter, refusals, List.of(
                    new Purge.Step("rate_limit_buckets", limiter::purgeExpired),
                    new Purge.Step("refusal_windows", refusals::purgeExpired)));
        }
    }

    /** The operator's fixed key, or a key ring of generated keys for {@code purpose} (added to {@code rings}). */
    private static KeySource keys(Settings settings, String purpose, Duration longestToken, Database db, SqlChangeFeed feed,
                                  SealingKey sealing, Clock clock, List<KeyRing> rings, boolean server) {
        if (settings.keys().authSecret().isPresent()) {
            return new FixedKey(settings.keys().authSecret().get());
        }
        var ring = new KeyRing(purpose, longestToken, db, feed, sealing, clock, server);
        rings.add(ring);
        return ring;
    }

    /** What the operator switched off or opened up, one line each, for the log at start. */
    static List<String> relaxedSettingWarnings(Settings settings, Set<String> kioskScopes) {
        var warnings = new ArrayList<String>();
        if (!settings.http().csrfProtection()) {
            warnings.add("DISABLE_CSRF_PROTECTION=true: cookie-authenticated requests are no longer checked for CSRF. "
                    + "Only do this behind a reverse proxy that strips cross-origin traffic.");
        }
        if (settings.registration().open()) {
            warnings.add("ALLOW_REGISTRATION=true: anyone who can reach Latch can create a viewer account.");
        }
        if (settings.forwardAuth().kioskMode()) {
            warnings.add("KIOSK_MODE=true: anonymous GET/HEAD requests to apps behind forward-auth now pass rules that need "
                    + "'authenticated' or one of these scopes: " + String.join(" ", kioskScopes) + ". Writes, role rules and "
                    + "Latch's own pages still need a signed-in user."
                    + (settings.server().publicUrl().isEmpty() ? " Set LATCH_PUBLIC_URL so Latch can tell its own host from the apps'." : ""));
        }
        if (settings.forwardAuth().downloadBypass()) {
            warnings.add("DISABLE_DOWNLOAD_ENDPOINT_AUTH=true: anonymous GET/HEAD requests on "
                    + String.join(", ", settings.forwardAuth().downloadPatterns()) + " pass forward-auth for every app host "
                    + "(unless a rule denies them). Only do this when the internet cannot reach those apps.");
        }
        return warnings;
    }
}
