package latch.access;

import latch.http.Cidr;

import java.util.List;

/**
 * Where the admin API and signing in may be used from (ADMIN_ALLOWED_NETWORKS, LOGIN_ALLOWED_NETWORKS); an empty
 * list restricts nothing.
 */
public record NetworkSettings(List<Cidr> admin, List<Cidr> login) {
    public NetworkSettings {
        admin = List.copyOf(admin);
        login = List.copyOf(login);
    }

    public static NetworkSettings anywhere() {
        return new NetworkSettings(List.of(), List.of());
    }
}
