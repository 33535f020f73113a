package latch.password;

/** Argon2id cost: memory in KiB, iterations (t) and lanes (p); defaults follow OWASP's m=19456, t=2, p=1. */
public record Argon2Cost(int memoryKib, int iterations, int parallelism) {}
