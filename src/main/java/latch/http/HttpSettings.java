package latch.http;

import java.util.List;

/**
 * How Latch speaks HTTP: the body limit, which peers are proxies, cookies, CSRF and HSTS.
 * {@code hstsMaxAgeSeconds} 0 sends no {@code Strict-Transport-Security}.
 */
public record HttpSettings(int maxBodyBytes, List<Cidr> trustedProxies, boolean csrfProtection, CookieSettings cookies,
                           long hstsMaxAgeSeconds, boolean hstsIncludeSubdomains) {
    public HttpSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
