package latch.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Javalin routes by {@code X-HTTP-Method-Override} when a request carries it ({@code Context.method()}), and
 * has no setting to stop that: a GET, which proxies, logs and CSRF checks treat as harmless, could PATCH a user
 * and a POST could DELETE one. This filter hides the header, so a request is the method it was sent with.
 */
public final class NoMethodOverride implements Filter {
    static final String HEADER = "X-HTTP-Method-Override";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        // Only the rare request that carries the header is wrapped; every other one passes untouched.
        chain.doFilter(http.getHeader(HEADER) == null ? request : new WithoutOverride(http), response);
    }

    private static final class WithoutOverride extends HttpServletRequestWrapper {
        WithoutOverride(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            var names = Collections.list(super.getHeaderNames());
            names.removeIf(HEADER::equalsIgnoreCase);
            return Collections.enumeration(names);
        }
    }
}
