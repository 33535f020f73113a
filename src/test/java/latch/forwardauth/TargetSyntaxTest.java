package latch.forwardauth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the forwarded method and host checks accept: anything whose meaning could differ between servers is refused. */
class TargetSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "app.example.com", "App.Example.COM", "app.example.com.", "app.example.com:8443",
            "xn--bcher-kva.example", "10.0.0.1", "10.0.0.1:80", "[::1]", "[::1]:8080", "[2001:DB8::1]", "[::ffff:10.0.0.1]:1",
            "a-b.c-d", "1"})
    void hostNamesAndAddressesAreAccepted(String host) {
        assertTrue(ForwardAuthService.isHost(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a..", ".a", "-a", "a-", "a-.", "user@app.example.com", "app.example.com,evil.com",
            "app.example.com/x", "app.example.com:", "app.example.com:123456", "app.example.com:80:80", "::1", "[::1",
            "::1]", "[]", "[:]", "[::g]", "[::1]x", "[::1]:", "a b", "a_b.example", "app.example.com\\evil", "ä.example"})
    void anythingElseIsRefused(String host) {
        assertFalse(ForwardAuthService.isHost(host), host);
    }

    @Test
    void aNameMayBe253CharactersLongAndNoLonger() {
        String longest = "a".repeat(253);
        assertTrue(ForwardAuthService.isHost(longest));
        assertTrue(ForwardAuthService.isHost(longest + "."));
        assertFalse(ForwardAuthService.isHost(longest + "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PROPFIND", "M"})
    void methodsAreLetters(String method) {
        assertTrue(ForwardAuthService.isMethod(method));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "BREW COFFEE", "GET\r\nX", "G3T", "get", "ABCDEFGHIJKLMNOPQRSTU"})
    void anythingElseIsNotAMethod(String method) {
        assertFalse(ForwardAuthService.isMethod(method));
    }
}
