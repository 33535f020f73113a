package latch.forwardauth;

import latch.http.ApiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/a%0ab", "/a%0D%0Ab", "/a%7f", "/a\u0000b", "/a\nb", "/a%zz", "/a%4", "/a%",
            "/a%c3%28", "/a%5cb", "/a\\..\\admin", "admin", "", "/%C2%85"})
    void controlCharactersBackslashesAndBadEncodingAreRefused(String uri) {
        ApiError e = assertThrows(ApiError.class, () -> PathNormalizer.normalize(uri));
        assertEquals(400, e.status());
        assertEquals("invalid_uri", e.code());
    }
}
