package latch.forwardauth;

import latch.http.Cidr;
import latch.user.Role;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of the rules file: what it matches (every listed condition must hold; an empty list matches
 * anything) and what it requires. {@code number} is its 1-based position in the file, 0 for the default rule.
 */
public record AccessRule(int number, List<String> hosts, List<PathPattern> paths, Set<String> methods,
                         List<Cidr> networks, Requirement requires) {

    /** What a matching request needs. {@code value} is the scope or role name for SCOPE and ROLE, else null. */
    public record Requirement(Kind kind, String value) {
        public enum Kind { BYPASS, AUTHENTICATED, SCOPE, ROLE, DENY }

        public static final Requirement AUTHENTICATED = new Requirement(Kind.AUTHENTICATED, null);

        public Role role() {
            return Role.parse(value).orElseThrow();
        }

        @Override
        public String toString() {
            return value == null ? kind.name().toLowerCase(Locale.ROOT) : kind.name().toLowerCase(Locale.ROOT) + " " + value;
        }
    }

    /** What applies when no rule matches: a signed-in user. */
    public static final AccessRule DEFAULT = new AccessRule(0, List.of(), List.of(), Set.of(), List.of(), Requirement.AUTHENTICATED);

    public AccessRule {
        hosts = List.copyOf(hosts);
        paths = List.copyOf(paths);
        methods = Set.copyOf(methods);
        networks = List.copyOf(networks);
    }

    /** {@code host} lower-case without port, {@code path} normalised, {@code method} upper-case. */
    public boolean matches(String host, String path, String method, String clientIp) {
        return (hosts.isEmpty() || hosts.stream().anyMatch(h -> hostMatches(h, host)))
                && (paths.isEmpty() || paths.stream().anyMatch(p -> p.matches(path)))
                && (methods.isEmpty() || methods.contains(method))
                && (networks.isEmpty() || networks.stream().anyMatch(n -> n.contains(clientIp)));
    }

    /** Exact, or {@code *.example.com} for any subdomain (not example.com itself). Both sides are lower-case. */
    static boolean hostMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return host.length() > suffix.length() && host.endsWith(suffix);
        }
        return pattern.equals(host);
    }
}
