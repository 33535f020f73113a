package latch.forwardauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import latch.config.InvalidSetting;
import latch.access.ScopeCatalog;
import latch.forwardauth.AccessRule.Requirement;
import latch.http.Cidr;
import latch.user.Role;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The ordered access rules of {@code ACCESS_RULES_FILE} (JSON or YAML): the first rule that matches a request
 * decides; when none does, a signed-in user is required. The file is checked whole at start, so a typo stops
 * Latch with one line instead of silently opening or closing an app.
 */
public record AccessRules(List<AccessRule> rules) {
    static final String VARIABLE = "ACCESS_RULES_FILE";
    private static final Set<String> FIELDS = Set.of("hosts", "paths", "methods", "networks", "require", "scope", "role");
    private static final String HOST = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*";

    public AccessRules {
        rules = List.copyOf(rules);
    }

    public static AccessRules none() {
        return new AccessRules(List.of());
    }

    /** The rules in {@code file}, or none when unset; anything wrong throws {@link InvalidSetting}. */
    public static AccessRules load(Optional<Path> file, ScopeCatalog scopes) {
        if (file.isEmpty()) {
            return none();
        }
        Path path = file.get();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSetting(VARIABLE, "cannot read the file " + path);
        }
        boolean json = path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(text, json, path.toString(), scopes);
    }

    /** Parses rules text; {@code name} is how error messages refer to the file. */
    public static AccessRules parse(String text, boolean json, String name, ScopeCatalog scopes) {
        ObjectMapper mapper = (json ? new ObjectMapper() : new YAMLMapper())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY); // a repeated key is a typo, not an override
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw invalid(name, "is not valid " + (json ? "JSON" : "YAML")
                    + (at == null ? "" : " (line " + at.getLineNr() + ")") + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw invalid(name, "is empty; write 'rules:' followed by a list of rules");
        }
        if (!root.isObject() || !root.has("rules") || root.size() != 1) {
            throw invalid(name, "must hold exactly one top-level field, 'rules', a list of rules");
        }
        JsonNode list = root.get("rules");
        if (!list.isArray()) {
            throw invalid(name, "'rules' must be a list");
        }
        var rules = new ArrayList<AccessRule>();
        for (int i = 0; i < list.size(); i++) {
            int number = i + 1;
            try {
                rules.add(rule(number, list.get(i), scopes));
            } catch (IllegalArgumentException e) {
                throw invalid(name, "rule " + number + ": " + e.getMessage());
            }
        }
        return new AccessRules(rules);
    }

    /** The first rule matching the request, else {@link AccessRule#DEFAULT}. */
    public AccessRule match(String host, String path, String method, String clientIp) {
        for (AccessRule rule : rules) {
            if (rule.matches(host, path, method, clientIp)) {
                return rule;
            }
        }
        return AccessRule.DEFAULT;
    }

    /** Every host pattern the rules name, exact or {@code *.domain}; these are places a sign-in may return to. */
    public Set<String> hostPatterns() {
        var out = new LinkedHashSet<String>();
        rules.forEach(r -> out.addAll(r.hosts()));
        return out;
    }

    private static AccessRule rule(int number, JsonNode node, ScopeCatalog scopes) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("must be a map of fields such as hosts, paths and require");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("'" + field + "' is not a rule field (known: hosts, paths, methods, networks, require, scope, role)");
            }
        }
        List<String> hosts = strings(node, "hosts", AccessRules::host);
        List<PathPattern> paths = strings(node, "paths", PathPattern::of);
        Set<String> methods = new LinkedHashSet<>(strings(node, "methods", AccessRules::method));
        List<Cidr> networks = strings(node, "networks", AccessRules::network);
        return new AccessRule(number, hosts, paths, methods, networks, requirement(node, scopes));
    }

    private static Requirement requirement(JsonNode node, ScopeCatalog scopes) {
        int given = (node.has("require") ? 1 : 0) + (node.has("scope") ? 1 : 0) + (node.has("role") ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("needs exactly one of 'require' (bypass, authenticated or deny), 'scope' or 'role'");
        }
        if (node.has("scope")) {
            String scope = text(node, "scope");
            if (!scopes.isKnown(scope)) {
                throw new IllegalArgumentException("'" + scope + "' is not a known scope; add it with LATCH_EXTRA_SCOPES first");
            }
            return new Requirement(Requirement.Kind.SCOPE, scope);
        }
        if (node.has("role")) {
            String role = text(node, "role");
            if (Role.parse(role).isEmpty()) {
                throw new IllegalArgumentException("'" + role + "' is not a role (viewer, editor or admin)");
            }
            return new Requirement(Requirement.Kind.ROLE, role);
        }
        String require = text(node, "require");
        var kinds = Map.of("bypass", Requirement.Kind.BYPASS, "authenticated", Requirement.Kind.AUTHENTICATED,
                "deny", Requirement.Kind.DENY);
        Requirement.Kind kind = kinds.get(require);
        if (kind == null) {
            throw new IllegalArgumentException("require: '" + require + "' must be bypass, authenticated or deny "
                    + "(use 'scope:' or 'role:' for those)");
        }
        return new Requirement(kind, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
        }
        return v.asText().trim();
    }

    /** A field holding one string or a list of strings, each turned into a value by {@code parse}. */
    private static <T> List<T> strings(JsonNode node, String field, Function<String, T> parse) {
        JsonNode v = node.get(field);
        if (v == null) {
            return List.of();
        }
        var out = new ArrayList<T>();
        if (v.isTextual()) {
            out.add(parse.apply(v.asText().trim()));
            return out;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' must be a string or a non-empty list of strings");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("'" + field + "' must hold only strings");
            }
            out.add(parse.apply(item.asText().trim()));
        }
        return out;
    }

    private static String host(String value) {
        String h = value.toLowerCase(Locale.ROOT);
        String bare = h.startsWith("*.") ? h.substring(2) : h;
        if (bare.length() > 253 || !bare.matches(HOST)) {
            throw new IllegalArgumentException("'" + value + "' is not a host name or *.domain (no scheme, port or path)");
        }
        return h;
    }

    private static String method(String value) {
        if (!value.matches("[A-Za-z]{1,20}")) {
            throw new IllegalArgumentException("'" + value + "' is not an HTTP method");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    private static Cidr network(String value) {
        try {
            return Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not an IP address or CIDR range");
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private static InvalidSetting invalid(String name, String problem) {
        return new InvalidSetting(VARIABLE, name + " " + problem);
    }
}
