package latch.forwardauth;

import latch.http.ApiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathNormalizerTest {

    @Test
    void dotSegmentsDoubleSlashesAndEncodingAllCollapseToTheSamePath() {
        assertEquals("/admin", PathNormalizer.normalize("/admin/../admin"));
        assertEquals("/admin", PathNormalizer.normalize("/public/../admin"));
        assertEquals("/admin", PathNormalizer.normalize("/public/%2e%2e/admin"));
        assertEquals("/admin", PathNormalizer.normalize("/public/%2E%2E/admin"));
        assertEquals("/admin/users", PathNormalizer.normalize("//admin//users"));
        assertEquals("/admin", PathNormalizer.normalize("/%61dmin"));
        assertEquals("/admin/x", PathNormalizer.normalize("/admin%2fx"));
        assertEquals("/admin/", PathNormalizer.normalize("/./admin/./"));
    }

    @Test
    void theQueryAndFragmentAreNotPartOfThePath() {
        assertEquals("/a/b", PathNormalizer.normalize("/a/b?next=/../admin#x"));
        assertEquals("/", PathNormalizer.normalize("/?x=1"));
    }

    @Test
    void dotDotNeverClimbsAboveTheRoot() {
        assertEquals("/etc/passwd", PathNormalizer.normalize("/../../etc/passwd"));
        assertEquals("/", PathNormalizer.normalize("/.."));
    }

    @Test
    void decodingHappensOnceSoDoubleEncodingStaysLiteral() {
        assertEquals("/%2e%2e/admin", PathNormalizer.normalize("/%252e%252e/admin"));
    }

    @Test
    void pathsKeepTheirCaseAndUnicode() {
        assertEquals("/ADMIN", PathNormalizer.normalize("/ADMIN"));
        assertEquals("/caf\u00e9", PathNormalizer.normalize("/caf%C3%A9"));
    }

    // Tomcat and other servlet containers cut ";params" from every segment before resolving dots, so
    // "/public/..;/admin" is served as "/admin" while a rule would see a segment named "..;".
    @ParameterizedTest
    @ValueSource(strings = {"/public/..;/admin/panel", "/admin;x/panel", "/.git;/config", "/public/%2e%2e;/admin/panel",
            "/admin%3Bx/panel", "/admin%3bx/panel", "/public/..%3B/admin", "/admin;", "/;/admin", "/a;b=c/d",
            "/api/roms/1/content/..;/..;/..;/admin"})
    void pathParametersAreRefusedInEveryForm(String uri) {
        ApiError e = assertThrows(ApiError.class, () -> PathNormalizer.normalize(uri));
        assertEquals(400, e.status());
        assertEquals("invalid_uri", e.code());
        assertTrue(e.getMessage().contains(";"), e.getMessage());
    }

    @Test
    void aSemicolonInTheQueryIsNotAPathParameter() {
        assertEquals("/a/b", PathNormalizer.normalize("/a/b?x=1;y=2"));
        assertEquals("/a/b", PathNormalizer.normalize("/a/b?next=/..;/admin#frag;x"));
        assertEquals("/a/%3B", PathNormalizer.normalize("/a/%253B"), "double encoding stays literal, as the app reads it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/a%0ab", "/a%0D%0Ab", "/a%7f", "/a\u0000b", "/a\nb", "/a%zz", "/a%4", "/a%",
            "/a%c3%28", "/a%5cb", "/a\\..\\admin", "admin", "", "/%C2%85"})
    void controlCharactersBackslashesAndBadEncodingAreRefused(String uri) {
        ApiError e = assertThrows(ApiError.class, () -> PathNormalizer.normalize(uri));
        assertEquals(400, e.status());
        assertEquals("invalid_uri", e.code());
    }
}
