package latch.forwardauth;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sign-in may send the browser back to: a path on Latch itself, or an http(s) URL on an allowed host
 * (LATCH_PUBLIC_URL's host, COOKIE_DOMAIN and its subdomains, the hosts the rules name). Anything else becomes
 * {@code /}, so a crafted sign-in link cannot bounce a freshly signed-in user to another site (open redirect).
 */
public final class RedirectTarget {
    static final int MAX_LENGTH = 4096;
    public static final String FALLBACK = "/";
    // Strict on purpose: no userinfo, no backslash, a plain DNS name or IP literal and an optional port.
    private static final Pattern ABSOLUTE = Pattern.compile(
            "(?i)(https?)://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?([/?#].*)?");

    private final List<String> hostPatterns;

    /** {@code hostPatterns}: exact host names or {@code *.domain}, lower-case. */
    public RedirectTarget(Set<String> hostPatterns) {
        this.hostPatterns = List.copyOf(hostPatterns);
    }

    public static RedirectTarget of(String publicUrl, String cookieDomain, AccessRules rules) {
        var hosts = new java.util.LinkedHashSet<String>();
        String publicHost = ForwardAuthService.hostOf(publicUrl);
        if (!publicHost.isEmpty()) {
            hosts.add(publicHost);
        }
        if (!cookieDomain.isEmpty()) {
            hosts.add(cookieDomain);
            hosts.add("*." + cookieDomain);
        }
        hosts.addAll(rules.hostPatterns());
        return new RedirectTarget(hosts);
    }

    /** {@code rd} when it is safe to send the browser to, else {@link #FALLBACK}. */
    public String safe(String rd) {
        if (rd == null || rd.isEmpty() || rd.length() > MAX_LENGTH) {
            return FALLBACK;
        }
        for (int i = 0; i < rd.length(); i++) {
            char c = rd.charAt(i);
            // Browsers strip tabs and newlines from URLs and read '\' as '/': "/\evil" and "/\tevil" mean "//evil".
            if (c <= 0x20 || c == 0x7f || c == '\\') {
                return FALLBACK;
            }
        }
        if (rd.charAt(0) == '/') {
            return rd.length() > 1 && rd.charAt(1) == '/' ? FALLBACK : rd;
        }
        Matcher m = ABSOLUTE.matcher(rd);
        if (!m.matches()) {
            return FALLBACK; // javascript:, data:, "https:evil", "evil.com/x", "user@evil" ...
        }
        String host = m.group(2).toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.startsWith(".") || host.contains("..")) {
            return FALLBACK;
        }
        for (String pattern : hostPatterns) {
            if (AccessRule.hostMatches(pattern, host)) {
                return rd;
            }
        }
        return FALLBACK;
    }
}
