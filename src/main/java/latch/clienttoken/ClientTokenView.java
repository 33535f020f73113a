package latch.clienttoken;

import java.util.List;

/** A client token as its owner sees it: never the secret. */
public record ClientTokenView(String id, String name, List<String> scopes, String createdAt, String expiresAt,
                              String lastUsedAt, List<String> networks, String device, boolean expired) {}
