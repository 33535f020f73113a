package latch.password;

/** Password length rules and the cost and concurrency of hashing. */
public record PasswordSettings(Argon2Cost argon2, int minLength, int maxLength, int hashConcurrency, int hashQueue) {}
