package latch.forwardauth;

import latch.access.Principal;
import latch.access.ScopeCatalog;
import latch.forwardauth.AccessRule.Requirement;
import latch.http.ApiError;
import latch.user.Role;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a request a reverse proxy is about to pass to an app may go through: the first matching
 * access rule, then the relaxations the operator switched on (download bypass, kiosk). The caller's identity is
 * checked afresh on every request (the {@code Authenticator} answers valid tokens from memory and sees revocations
 * at once); what an allowed identity is told to the app, the {@code Remote-*} headers, is remembered per identity
 * by {@link IdentityHeaders}, whose key holds every input, so a renamed, re-roled or narrowed caller never meets a
 * stale answer.
 */
public final class ForwardAuthService {
    private static final Pattern URL = Pattern.compile("(?i)(https?)://([^/?#]*)(.*)");
    /** One to twenty letters A-Z (after upper-casing): every registered method, and nothing that could smuggle more. */
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
    /**
     * A DNS name (letters, digits, '.', '-', starting and ending with a letter or digit, at most 253 characters,
     * one optional trailing dot) or a bracketed IPv6 literal, with an optional port of up to five digits.
     */
    private static final Pattern HOST = Pattern.compile(
            "(?i)([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\\.?|\\[[0-9a-f:.]{2,45}\\])(:[0-9]{1,5})?");

    /** The request the proxy asks about. {@code host} may carry a port; {@code uri} is the raw path and query. */
    public record Target(String method, String scheme, String host, String uri, String clientIp) {
        public String url() {
            return scheme + "://" + host + uri;
        }
    }

    /** The answer: ALLOW with the {@code Remote-*} headers to hand to the app, FORBIDDEN, or SIGN_IN. */
    public record Decision(Outcome outcome, Map<String, String> headers, String reason) {
        public enum Outcome { ALLOW, FORBIDDEN, SIGN_IN }
    }

    private final AccessRules rules;
    private final String publicHost;
    private final boolean kiosk;
    private final Set<String> kioskScopes;
    private final boolean downloadBypass;
    private final List<PathPattern> downloadPatterns;
    private final IdentityHeaders identityHeaders;
    private final ScopeCatalog catalog;

    public ForwardAuthService(AccessRules rules, ScopeCatalog scopes, String publicUrl, ForwardAuthSettings settings,
                              java.time.Clock clock) {
        this.rules = rules;
        this.identityHeaders = new IdentityHeaders(clock);
        boolean kiosk = settings.kioskMode();
        this.catalog = scopes;
        this.publicHost = hostOf(publicUrl);
        this.kiosk = kiosk;
        this.kioskScopes = scopes.of(Role.VIEWER).stream().filter(s -> s.endsWith(".read"))
                .collect(Collectors.toCollection(TreeSet::new));
        this.downloadBypass = settings.downloadBypass();
        this.downloadPatterns = settings.downloadPatterns().stream().map(PathPattern::of).collect(Collectors.toList());
    }

    /** What an anonymous visitor may read in kiosk mode: the viewer role's {@code .read} scopes. */
    public Set<String> kioskScopes() {
        return java.util.Collections.unmodifiableSet(kioskScopes);
    }

    /** The target of an nginx {@code auth_request}: {@code X-Original-Method} and {@code X-Original-URL}. */
    public static Target fromOriginalUrl(String method, String url, String clientIp) {
        if (url == null || url.isBlank()) {
            throw ApiError.badRequest("invalid_request", "The X-Original-URL header is missing.");
        }
        Matcher m = URL.matcher(url.trim());
        if (!m.matches()) {
            throw ApiError.badRequest("invalid_request", "X-Original-URL must be an absolute http(s) URL.");
        }
        String uri = m.group(3).isEmpty() ? "/" : m.group(3);
        return target(method, m.group(1), m.group(2), uri, clientIp);
    }

    /** The target of a Traefik / Caddy forward-auth request, from its {@code X-Forwarded-*} headers. */
    public static Target fromForwarded(String method, String proto, String host, String uri, String clientIp) {
        if (proto == null || proto.isBlank()) {
            throw ApiError.badRequest("invalid_request", "The X-Forwarded-Proto header is missing.");
        }
        if (uri == null || uri.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "The X-Forwarded-Uri header is missing.");
        }
        return target(method, proto.trim(), host, uri, clientIp);
    }

    private static Target target(String method, String scheme, String host, String uri, String clientIp) {
        if (method == null || method.isBlank()) {
            throw ApiError.badRequest("invalid_request", "The original request method header is missing.");
        }
        String m = method.trim().toUpperCase(Locale.ROOT);
        if (!isMethod(m)) {
            throw ApiError.badRequest("invalid_request", "The original request method is not an HTTP method.");
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw ApiError.badRequest("invalid_request", "The original scheme must be http or https.");
        }
        if (host == null || host.isBlank()) {
            throw ApiError.badRequest("invalid_request", "The original host header is missing.");
        }
        // No userinfo, commas or paths: a host like "app.example.com@evil" must not match a rule for either.
        if (!isHost(host.trim())) {
            throw ApiError.badRequest("invalid_request", "The original host is not a host name.");
        }
        return new Target(m, s, host.trim(), uri, clientIp);
    }

    static boolean isMethod(String m) {
        return METHOD.matcher(m).matches();
    }

    static boolean isHost(String h) {
        return HOST.matcher(h).matches();
    }

    /**
     * {@code principal} is null for an anonymous request; {@code latchHost} gives the host the proxy reached Latch
     * by, asked only when a relaxation has to tell Latch's own host from an app's.
     */
    public Decision decide(Target target, Principal principal, Supplier<String> latchHost) {
        String host = hostName(target.host());
        String path = PathNormalizer.normalize(target.uri());
        String method = target.method();
        AccessRule rule = rules.match(host, path, method, target.clientIp());
        Requirement need = rule.requires();
        if (need.kind() == Requirement.Kind.DENY) {
            return forbidden("Access rule " + rule.number() + " denies this request.");
        }
        if (need.kind() == Requirement.Kind.BYPASS) {
            return allow(principal, principal == null ? Set.of() : principal.scopes());
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        // Latch's own pages and API are never opened up by the relaxations: they keep their own checks.
        // Without LATCH_PUBLIC_URL the host this request reached Latch by is the best guess of Latch's own.
        boolean relaxable = read && (downloadBypass || kiosk) && !host.equals(publicHost.isEmpty() ? latchHost.get() : publicHost);
        if (downloadBypass && relaxable && downloadPatterns.stream().anyMatch(p -> p.matches(path))) {
            return allow(principal, principal == null ? Set.of() : principal.scopes());
        }
        boolean kioskRead = kiosk && relaxable && (need.kind() == Requirement.Kind.AUTHENTICATED
                || (need.kind() == Requirement.Kind.SCOPE && kioskScopes.contains(need.value())));
        if (principal != null) {
            if (satisfies(principal, need)) {
                return allow(principal, principal.scopes());
            }
            if (kioskRead) {
                var scopes = new TreeSet<>(principal.scopes());
                scopes.addAll(kioskScopes);
                return allow(principal, scopes);
            }
            return forbidden(need.kind() == Requirement.Kind.ROLE
                    ? "This needs the role '" + need.value() + "'."
                    : "This needs the scope '" + need.value() + "'.");
        }
        if (kioskRead) {
            return allow(null, kioskScopes);
        }
        return new Decision(Decision.Outcome.SIGN_IN, Map.of(), "Sign in first.");
    }

    private boolean satisfies(Principal p, Requirement need) {
        switch (need.kind()) {
            case AUTHENTICATED: return true;
            case SCOPE: return p.has(need.value());
            // Roles are ordered: a rule for editors lets admins in too. The credential must carry the whole role,
            // so an admin's token narrowed to roms.read is not an admin's key to every role-guarded app.
            case ROLE: return p.user().role().compareTo(need.role()) >= 0 && p.scopes().containsAll(catalog.of(need.role()));
            default: return false;
        }
    }

    private Decision allow(Principal p, Set<String> scopes) {
        return new Decision(Decision.Outcome.ALLOW, identityHeaders.of(p == null ? null : p.user(), scopes), "allowed");
    }

    private static Decision forbidden(String reason) {
        return new Decision(Decision.Outcome.FORBIDDEN, Map.of(), reason);
    }

    /** The lower-case host name of a host[:port] that {@link #target} accepted, without port or trailing dot. */
    static String hostName(String hostPort) {
        String h = hostPort.toLowerCase(Locale.ROOT);
        int end = h.startsWith("[") ? h.indexOf(']') + 1 : h.indexOf(':');
        if (end > 0) {
            h = h.substring(0, end);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** The lower-case host name of an http(s) URL, without port or trailing dot; "" when there is none. */
    static String hostOf(String url) {
        if (url == null || url.isEmpty()) {
            return "";
        }
        try {
            String host = URI.create(url).getHost();
            if (host == null) {
                return "";
            }
            host = host.toLowerCase(Locale.ROOT);
            return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
