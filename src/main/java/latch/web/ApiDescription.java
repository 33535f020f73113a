package latch.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.http.Context;
import latch.http.JarText;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of the HTTP API, written as YAML in the jar (easier to keep by hand) and served as
 * JSON, converted once at start. A test holds it to the routes App registers.
 */
public final class ApiDescription {
    private final byte[] json;

    public ApiDescription() {
        try {
            json = new ObjectMapper().writeValueAsBytes(new ObjectMapper(new YAMLFactory()).readTree(JarText.read("/openapi.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/json").result(json);
    }
}
