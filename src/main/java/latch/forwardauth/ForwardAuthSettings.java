package latch.forwardauth;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The operator's rules file and the relaxations they switched on. */
public record ForwardAuthSettings(Optional<Path> accessRulesFile, boolean kioskMode, boolean downloadBypass,
                                  List<String> downloadPatterns) {
    /** The ROM manager's ROM content and firmware download endpoints. */
    public static final String DEFAULT_DOWNLOAD_PATTERNS = "/api/roms/*/content/**,/api/firmware/*/content/**";

    public ForwardAuthSettings {
        downloadPatterns = List.copyOf(downloadPatterns);
    }
}
