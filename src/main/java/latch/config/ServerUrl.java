package latch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of a server's URL as operators write one ({@code scheme://user:password@host:port/...}), read the same
 * way for every server Latch connects to. Errors name the expected form, never the value: it may hold a password.
 */
public record ServerUrl(URI uri, String scheme, String host) {
    /**
     * {@code value} as a URL with one of {@code schemes} and a host; {@code form} is what the errors show instead,
     * {@code otherScheme} what they say of another scheme.
     */
    public static ServerUrl parse(String value, Set<String> schemes, String form, String otherScheme) throws IllegalArgumentException {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL of the form " + form);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new IllegalArgumentException(otherScheme);
        }
        String host = uri.getHost();
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostAndPort.lastIndexOf(':');
        if (host == null && colon >= 0 && !hostAndPort.endsWith("]") && !hostAndPort.substring(colon + 1).matches("[0-9]*")) {
            // java.net.URI reads host:port with a port that is not a number as no host at all.
            throw new IllegalArgumentException("names a port that is not a number: " + form);
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("names no host: " + form);
        }
        // java.net.URI takes any number as a port; a node given one that cannot exist would start and answer 503s.
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("names a port outside 1 to 65535: " + form);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        return new ServerUrl(uri, scheme, host);
    }

    /**
     * The user information's two halves, decoded: {@code [user, password]}, each empty when absent. Without a colon
     * it is the user, or with {@code lonePassword} the password (as redis-cli reads {@code redis://secret@host}).
     */
    public String[] userAndPassword(boolean lonePassword) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return new String[] {"", ""};
        }
        int colon = info.indexOf(':');
        if (colon < 0) {
            return lonePassword ? new String[] {"", decode(info)} : new String[] {decode(info), ""};
        }
        return new String[] {decode(info.substring(0, colon)), decode(info.substring(colon + 1))};
    }

    /** Percent-decoding that keeps a '+' (a password may hold one). */
    public static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
