package latch.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The audit log names devices in the words the pages' describeAgent uses (web/assets/ui.js). */
class DeviceNameTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0 | Firefox on Windows",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/141.0.0.0 Safari/537.36 | Chrome on Linux",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0 | Edge on Windows",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 | Chrome on Android",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1 | Safari on iOS",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15 | Safari on macOS",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 OPR/105.0 | Opera on ChromeOS",
        "curl/8.5.0 | curl/8.5.0",
        "Kodi/21.0 (Linux; Android 13) | Kodi/21.0",
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 | Firefox on Linux",
        "Java-http-client/17.0.12 | Java-http-client/17.0.12",
        "' ' | Unknown device",
        "'' | Unknown device",
        "NULL | Unknown device",
    })
    void aUserAgentIsNamedAsThePagesNameIt(String userAgent, String expected) {
        assertEquals(expected, DeviceName.of(userAgent));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"SomeLongProgramNameThatGoesOnAndOnForeverAndEver/1.0 | SomeLongProgramNameThatGoesOnAndOnForeve"})
    void aProgramsNameIsCutShort(String userAgent, String expected) {
        assertEquals(expected, DeviceName.of(userAgent));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Evil\u0007Bell/1 | EvilBell/1", "Line\u000bTab/2 x | LineTab/2"})
    void controlCharactersNeverReachTheLog(String userAgent, String expected) {
        assertEquals(expected, DeviceName.of(userAgent));
    }
}
