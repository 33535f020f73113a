package latch.monitoring;

/** Where finished request and sign-in lines go: the log in production, a list in tests. */
public interface LogSink {
    /** False when the operator turned request lines off (the logger's level above INFO): they are not even built. */
    boolean infoEnabled();

    void info(String line);

    void warn(String line);
}
