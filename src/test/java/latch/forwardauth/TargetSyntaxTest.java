package latch.forwardauth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forwarded method and host are checked by hand on every proxied request; these pin down what they accept. */
class TargetSyntaxTest {
    /** The grammar the hand-written check replaced, kept here as the reference it must agree with. */
    private static final Pattern HOST = Pattern.compile(
            "(?i)([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\\.?|\\[[0-9a-f:.]{2,45}\\])(:[0-9]{1,5})?");

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

    @Test
    void theCheckAgreesWithTheGrammarOnRandomInput() {
        String alphabet = "ab09.-:[]@,/ fA_";
        var random = new Random(20261123);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            var sb = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String host = sb.toString();
            boolean expected = HOST.matcher(host).matches();
            assertEquals(expected, ForwardAuthService.isHost(host), host);
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 1000, "the sample must hold valid hosts too, not only garbage: " + accepted);
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
