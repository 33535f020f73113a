package latch.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import latch.access.Principal;
import latch.account.Accounts;
import latch.audit.AuditService;
import latch.audit.AuditService.Outcome;
import latch.audit.AuditType;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.metrics.Metrics;
import latch.http.ClientInfo;
import latch.session.IssuedSession;
import latch.session.SessionService;
import latch.token.RandomSecrets;
import latch.token.SealingKey;
import latch.user.Role;
import latch.user.User;
import latch.user.UserChange;
import latch.user.UserDirectory;
import latch.user.UserStore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Sign-in through the OpenID provider: starting it (state, nonce and PKCE, bound to the browser), finishing it
 * (the account it proves, found by issuer and subject, linked by verified email or created only as configured, its
 * role following the provider's claim), linking and unlinking from the account page, and the provider's logout.
 */
public final class OidcService {
    /** How long a sign-in may stay at the provider before its state is refused. */
    static final Duration ATTEMPT_TTL = Duration.ofMinutes(10);
    private static final String SEALED_ID_TOKEN = "oidc-id-token";
    private static final int MAX_USERNAME_TRIES = 20;

    /** Where to send the browser, and the PKCE verifier that is its cookie (what binds the callback to it). */
    public record Started(URI authorization, String browserBinding) {}

    /** A finished sign-in ({@code session} set) or link ({@code session} null), and where the browser goes next. */
    public record Finished(IssuedSession session, String returnTo) {}

    public record IdentityView(long id, String provider, String issuer, String email, String linkedAt, String lastUsedAt) {}

    private final OidcSettings settings;
    private final Provider provider;
    private final SignInAttemptStore attempts;
    private final IdentityStore identities;
    private final UserDirectory users;
    private final UserStore userStore;
    private final Accounts accounts;
    private final SessionService sessions;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final AuditService audit;
    private final SealingKey sealing;
    private final UnaryOperator<String> safeReturn;
    private final boolean passwordLogin;
    private final RoleClaim roleClaim;
    private final Metrics metrics;
    private final Clock clock;

    public OidcService(OidcSettings settings, SignInAttemptStore attempts, IdentityStore identities, UserDirectory users,
                       UserStore userStore, Accounts accounts, SessionService sessions, UnitOfWork work, ChangeFeed feed,
                       AuditService audit, SealingKey sealing, UnaryOperator<String> safeReturn, boolean passwordLogin,
                       Metrics metrics, Clock clock) {
        this.metrics = metrics;
        this.settings = settings;
        this.provider = settings.enabled() ? new Provider(settings, clock) : null;
        this.attempts = attempts;
        this.identities = identities;
        this.users = users;
        this.userStore = userStore;
        this.accounts = accounts;
        this.sessions = sessions;
        this.work = work;
        this.feed = feed;
        this.audit = audit;
        this.sealing = sealing;
        this.safeReturn = safeReturn;
        this.passwordLogin = passwordLogin;
        this.roleClaim = settings.roleClaim()
                .map(c -> new RoleClaim(c, settings.roleAdmin(), settings.roleEditor(), settings.roleViewer())).orElse(null);
        this.clock = clock;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public String providerName() {
        return settings.provider();
    }

    /** Starts a sign-in ({@code linkUserId} null) or a link to a signed-in person's account. */
    public Started start(String returnTo, Long linkUserId) {
        requireEnabled();
        var state = new State();
        var nonce = new Nonce();
        var verifier = new CodeVerifier();
        URI authorization = provider.authorizationUri(state, nonce, verifier); // refuses before anything is stored
        attempts.add(new SignInAttempt(RandomSecrets.sha256(state.getValue()), challenge(verifier), nonce.getValue(),
                linkUserId == null ? safeReturn.apply(returnTo) : "/account", linkUserId, clock.instant().plus(ATTEMPT_TTL)));
        return new Started(authorization, verifier.getValue());
    }

    /**
     * Finishes what the provider sent back. The state is taken (single use) before anything else is looked at, and
     * must come back to the browser that started it: the cookie's verifier must hash to the stored challenge.
     */
    public Finished finish(String state, String code, String error, String browserBinding, ClientInfo client) {
        requireEnabled();
        if (state == null || state.isEmpty() || state.length() > 512) {
            throw ApiError.badRequest("missing_state", "This address is missing its sign-in state. Start signing in again.");
        }
        SignInAttempt attempt = attempts.take(RandomSecrets.sha256(state)).orElseThrow(() -> ApiError.badRequest(
                "unknown_state", "This sign-in was not started here, or it was finished already. Start signing in again."));
        if (!boundTo(attempt, browserBinding)) {
            // Someone else's callback address (login CSRF), or the sign-in began in another browser.
            throw ApiError.badRequest("foreign_state", "This sign-in was started in another browser or tab. Start signing in again here.");
        }
        if (!clock.instant().isBefore(attempt.expiresAt())) {
            throw ApiError.badRequest("sign_in_expired", "This sign-in took longer than " + ATTEMPT_TTL.toMinutes()
                    + " minutes. Start signing in again.");
        }
        if (error != null) {
            String reason = error.matches("[a-z_]{1,40}") ? error : "no reason given";
            throw ApiError.forbidden("provider_refused", settings.provider() + " did not sign you in (" + reason + ").");
        }
        if (code == null || code.isEmpty() || code.length() > 2048) {
            throw ApiError.badRequest("missing_code", "The provider sent no sign-in code. Start signing in again.");
        }
        try {
            Finished finished = finish(attempt, code, browserBinding, client);
            if (finished.session() != null) {
                metrics.signIn(Metrics.SignInMethod.OIDC, Metrics.Outcome.SUCCESS);
            }
            return finished;
        } catch (ApiError e) {
            metrics.signIn(Metrics.SignInMethod.OIDC, Metrics.Outcome.FAILURE);
            // What the operator needs to see in the audit log: a provider sign-in that did not become a session.
            audit.record(AuditType.SIGN_IN_FAILED, Outcome.FAILURE, (User) null, null, client, "oidc: " + e.code());
            throw e;
        }
    }

    private Finished finish(SignInAttempt attempt, String code, String browserBinding, ClientInfo client) {
        var signedIn = provider.redeem(new AuthorizationCode(code), new CodeVerifier(browserBinding), new Nonce(attempt.nonce()));
        JWTClaimsSet claims = signedIn.claims();
        if (attempt.linkUserId() != null) {
            link(attempt.linkUserId(), claims, client);
            return new Finished(null, attempt.returnTo());
        }
        User user = syncRole(accountFor(claims, client), claims, client);
        if (!user.enabled()) {
            throw ApiError.forbidden("account_disabled", "Your account here is disabled. Ask an administrator.");
        }
        IssuedSession issued = sessions.signIn(user, client, "oidc");
        if (settings.rpInitiatedLogout()) {
            identities.keepIdToken(issued.sessionId(), sealing.seal(SEALED_ID_TOKEN, signedIn.idToken().getBytes(StandardCharsets.UTF_8)));
        }
        return new Finished(issued, attempt.returnTo());
    }

    /** The provider's logout address for this session, when RP-initiated logout is on and the provider has one. */
    public Optional<String> endSessionAddress(String sessionId) {
        if (!settings.enabled() || !settings.rpInitiatedLogout() || sessionId == null) {
            return Optional.empty();
        }
        return identities.idToken(sessionId)
                .flatMap(sealed -> sealing.open(SEALED_ID_TOKEN, sealed))
                .flatMap(token -> provider.endSessionUri(new String(token, StandardCharsets.UTF_8), afterLogout()))
                .map(URI::toString);
    }

    /** The provider accounts linked to a user, in full: for the owner's export of their data. */
    public List<LinkedIdentity> linked(long userId) {
        return identities.forUser(userId);
    }

    public List<IdentityView> identities(long userId) {
        return identities.forUser(userId).stream()
                .map(i -> new IdentityView(i.id(), settings.provider(), i.issuer(), i.email(), i.createdAt().toString(),
                        i.lastUsedAt().toString()))
                .toList();
    }

    /** Unlinks, unless it is the account's only way in (no usable password and no other identity). */
    public void unlink(Principal actor, long identityId, ClientInfo client) {
        long userId = actor.user().id();
        var mine = identities.forUser(userId).stream().filter(i -> i.id() == identityId).findFirst()
                .orElseThrow(() -> ApiError.notFound("There is no such linked sign-in on your account."));
        if (!identities.unlinkKeepingAWayIn(userId, identityId, passwordLogin)) {
            throw ApiError.conflict("last_way_in", "This is the only way you can sign in here. Link another sign-in"
                    + " first" + (passwordLogin ? ", or ask an administrator for a password reset link." : "."));
        }
        audit.record(AuditType.IDENTITY_UNLINKED, Outcome.SUCCESS, actor, actor.user(), client, mine.issuer());
    }

    private void link(long userId, JWTClaimsSet claims, ClientInfo client) {
        User user = users.findCurrent(userId).filter(User::enabled)
                .orElseThrow(() -> ApiError.forbidden("account_disabled", "This account cannot be linked: it is disabled or gone."));
        var existing = identities.find(claims.getIssuer(), claims.getSubject());
        if (existing.isPresent()) {
            if (existing.get().userId() != userId) {
                throw ApiError.conflict("identity_taken", "This " + settings.provider() + " account already signs in to"
                        + " another account here.");
            }
            return;
        }
        work.inTransaction(tx -> identities.link(tx, userId, claims.getIssuer(), claims.getSubject(), email(claims), clock.instant()))
                .orElseThrow(() -> ApiError.conflict("identity_taken", "This " + settings.provider() + " account already"
                        + " signs in to another account here."));
        audit.record(AuditType.IDENTITY_LINKED, Outcome.SUCCESS, user, user, client, "from the account page");
    }

    /** The account these claims sign in to: linked, linked now by verified email, or new; else 403. */
    private User accountFor(JWTClaimsSet claims, ClientInfo client) {
        String issuer = claims.getIssuer();
        String subject = claims.getSubject();
        String email = email(claims);
        var linked = identities.find(issuer, subject);
        if (linked.isPresent()) {
            identities.touch(linked.get().id(), email, clock.instant());
            return users.findCurrent(linked.get().userId()).orElseThrow(OidcService::noAccount);
        }
        // Linking by email trusts the provider's word that the address is this person's (OIDC Core 5.7); an
        // unverified address would let anyone who types someone's email take their account.
        if (settings.linkByEmail() && email != null && Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
            var matches = users.findByEmail(email, 2);
            if (matches.size() == 1 && identities.forUser(matches.get(0).id()).stream().noneMatch(i -> i.issuer().equals(issuer))) {
                User user = matches.get(0);
                boolean done = work.inTransaction(tx -> identities.link(tx, user.id(), issuer, subject, email, clock.instant())).isPresent();
                if (done) {
                    audit.record(AuditType.IDENTITY_LINKED, Outcome.SUCCESS, user, user, client, "by verified email");
                    return user;
                }
            }
        }
        if (!settings.allowRegistration()) {
            throw noAccount();
        }
        return create(claims, client);
    }

    private User create(JWTClaimsSet claims, ClientInfo client) {
        Role role = roleClaim == null ? Role.VIEWER : roleClaim.roleFrom(claims.getClaims()).orElseThrow(this::noRole);
        String base = usernameFrom(claims);
        String email = email(claims);
        String display = displayName(claims);
        for (int i = 1; i <= MAX_USERNAME_TRIES + 1; i++) {
            // A clash gets a suffix, never the other account: a provider's name is not proof of being its owner.
            String name = i == 1 ? base : suffixed(base, i <= MAX_USERNAME_TRIES ? Integer.toString(i) : RandomSecrets.fromAlphabet("abcdefghjkmnpqrstuvwxyz23456789", 6));
            var prepared = accounts.prepareWithoutPassword(name, role, display, email);
            try {
                return work.inTransaction(tx -> {
                    User created = accounts.create(tx, prepared, null, client, "oidc");
                    identities.link(tx, created.id(), claims.getIssuer(), claims.getSubject(), email, clock.instant())
                            .orElseThrow(() -> ApiError.conflict("sign_in_race", "This account was just created by another"
                                    + " sign-in; sign in again."));
                    return created;
                });
            } catch (ApiError e) {
                if (!e.code().equals("username_taken")) {
                    throw e;
                }
            }
        }
        throw ApiError.conflict("username_taken", "No free username was found for this sign-in; ask an administrator.");
    }

    /** With OIDC_ROLE_CLAIM the role follows the provider at every sign-in; the last admin is never demoted. */
    private User syncRole(User user, JWTClaimsSet claims, ClientInfo client) {
        if (roleClaim == null) {
            return user;
        }
        Role wanted = roleClaim.roleFrom(claims.getClaims()).orElseThrow(this::noRole);
        if (wanted == user.role()) {
            return user;
        }
        String change = user.role().wireName() + " -> " + wanted.wireName() + " (" + settings.provider() + " claim)";
        try {
            User after = work.inTransaction(tx -> {
                var updated = userStore.update(tx, user.id(), new UserChange(wanted, null, null, null, null, null));
                updated.ifPresent(u -> feed.publish(tx, new Change.UserChanged(u.id())));
                return updated;
            }).orElseThrow(OidcService::noAccount);
            audit.record(AuditType.ROLE_CHANGED, Outcome.SUCCESS, (User) null, after, client, change);
            return after;
        } catch (UserStore.LastAdminException e) {
            // Signing in must not lock the instance out of administration: the role stays, and the refusal is on record.
            audit.record(AuditType.ROLE_CHANGED, Outcome.FAILURE, (User) null, user, client, change + " refused: last admin");
            return user;
        }
    }

    /** The provider's username claim made a valid username: letters, digits and . _ @ -, at most 60 characters. */
    String usernameFrom(JWTClaimsSet claims) {
        Object claim = RoleClaim.find(claims.getClaims(), settings.usernameClaim());
        String raw = claim instanceof String s ? s : null;
        if ((raw == null || raw.isBlank()) && email(claims) != null) {
            raw = email(claims).substring(0, email(claims).indexOf('@'));
        }
        String ascii = raw == null ? "" : Normalizer.normalize(raw, Normalizer.Form.NFKD).replaceAll("[^A-Za-z0-9._@-]", "");
        ascii = ascii.replaceFirst("^[^A-Za-z0-9]+", "");
        if (ascii.length() > 60) {
            ascii = ascii.substring(0, 60);
        }
        return ascii.isEmpty() ? "user" : ascii;
    }

    private static String suffixed(String base, String suffix) {
        String cut = base.length() + 1 + suffix.length() > 64 ? base.substring(0, 63 - suffix.length()) : base;
        return cut + "-" + suffix;
    }

    private static String email(JWTClaimsSet claims) {
        Object e = claims.getClaim("email");
        return e instanceof String s && s.matches("[^@\\s]{1,64}@[^@\\s]{1,255}") ? s.toLowerCase(Locale.ROOT) : null;
    }

    private static String displayName(JWTClaimsSet claims) {
        Object n = claims.getClaim("name");
        if (!(n instanceof String s) || s.isBlank()) {
            return null;
        }
        String clean = s.strip().codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    private URI afterLogout() {
        URI r = settings.redirectUri();
        return URI.create(r.getScheme() + "://" + r.getRawAuthority() + "/login");
    }

    private boolean boundTo(SignInAttempt attempt, String binding) {
        if (binding == null || !binding.matches("[A-Za-z0-9._~-]{43,128}")) {
            return false;
        }
        return RandomSecrets.constantTimeEquals(challenge(new CodeVerifier(binding)), attempt.challenge());
    }

    private static String challenge(CodeVerifier verifier) {
        return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw ApiError.notFound("Single sign-on is not set up here.");
        }
    }

    private static ApiError noAccount() {
        return ApiError.forbidden("no_account", "There is no account here for you yet. Ask an administrator to invite"
                + " you, or sign in another way and link this sign-in on your account page.");
    }

    private ApiError noRole() {
        return ApiError.forbidden("no_role", settings.provider() + " gives you no role here. Ask an administrator to add"
                + " you to one of the groups this server lets in.");
    }
}
