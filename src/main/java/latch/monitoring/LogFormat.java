package latch.monitoring;

/** LOG_FORMAT: how request and sign-in lines are written. */
public enum LogFormat {
    /** {@code key=value} words on one line, for people and grep. */
    TEXT,
    /** One JSON object per line, for log shippers. */
    JSON
}
