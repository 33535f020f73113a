package latch.config;

/** A setting that cannot be used; its message is the one line printed before Latch exits. */
public final class InvalidSetting extends RuntimeException {
    public InvalidSetting(String variable, String problem) {
        super(variable + ": " + problem, null, false, false);
    }
}
