package io.dormouse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the configuration: embedded defaults, then {@code dormouse.yaml}, then
 * {@code DORMOUSE_<PATH>} environment variables, then flags; validates the result and says
 * which key, from where, was wrong.
 */
public final class ConfigReader {

    /** The file read when {@code --config} is not given, if it exists in the working directory. */
    public static final Path DEFAULT_FILE = Path.of("dormouse.yaml");

    /** Environment variables of the command line client, not configuration keys. */
    private static final Set<String> CLIENT_VARIABLES =
            Set.of("DORMOUSE_API", "DORMOUSE_TOKEN", "DORMOUSE_CONFIG", "DORMOUSE_JAVA_OPTS");

    private static final YAMLMapper MAPPER = mapper();

    private final Map<String, String> environment;

    private ConfigReader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static ConfigReader withEnvironment(Map<String, String> environment) {
        return new ConfigReader(environment);
    }

    /**
     * Reads the effective configuration.
     *
     * @param file  the configuration file given with {@code --config}; empty to read
     *              {@link #DEFAULT_FILE} when it exists
     * @param flags values from command line flags, by dotted key (for example {@code dns.listen})
     * @throws ConfigException naming the key, its source and what is allowed
     */
    public DormouseConfig read(Optional<Path> file, Map<String, String> flags) {
        ObjectNode tree = MAPPER.valueToTree(DormouseConfig.defaults());
        Map<String, String> sources = new HashMap<>();
        Optional<Path> chosen = file.or(() -> Files.exists(DEFAULT_FILE) ? Optional.of(DEFAULT_FILE) : Optional.empty());
        if (chosen.isPresent()) {
            merge(tree, readFile(chosen.get()), "", chosen.get().toString(), sources);
        }
        Map<String, ConfigKey> byVariable = ConfigKey.all().stream()
                .collect(Collectors.toMap(ConfigKey::variable, k -> k));
        environment.keySet().stream().sorted().forEach(name -> {
            if (!name.startsWith("DORMOUSE_") || CLIENT_VARIABLES.contains(name)) {
                return;
            }
            ConfigKey key = byVariable.get(name);
            if (key == null) {
                throw new ConfigException("", "environment variable " + name
                        + " is not a configuration key; known variables: " + new TreeSet<>(byVariable.keySet()));
            }
            set(tree, key, environment.get(name), name, sources);
        });
        Map<String, ConfigKey> byPath = ConfigKey.all().stream().collect(Collectors.toMap(ConfigKey::path, k -> k));
        flags.forEach((path, value) -> {
            ConfigKey key = byPath.get(path);
            if (key == null) {
                throw new IllegalArgumentException("no configuration key " + path);
            }
            set(tree, key, value, "flag", sources);
        });
        return bind(tree, sources);
    }

    /** The configuration as YAML, secrets masked unless {@code revealSecrets}. */
    public static String toYaml(DormouseConfig config, boolean revealSecrets) {
        ObjectNode tree = MAPPER.valueToTree(config);
        if (!revealSecrets) {
            for (ConfigKey key : ConfigKey.all()) {
                JsonNode value = at(tree, key.path());
                if (key.secret() && value.isArray()) {
                    int size = value.size();
                    ArrayNode masked = ((ArrayNode) value).removeAll();
                    for (int i = 0; i < size; i++) {
                        masked.add("****");
                    }
                } else if (key.secret() && !value.asText().isEmpty()) {
                    put(tree, key.path(), TextNode.valueOf("****"));
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readFile(Path file) {
        try {
            JsonNode node = MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return MAPPER.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("", file + ": expected a mapping of keys (such as 'api:' or 'dns:'), found "
                        + node.getNodeType().toString().toLowerCase());
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist; create it or omit --config to use the defaults");
        } catch (AccessDeniedException e) {
            throw new ConfigException("", "configuration file " + file + " is not readable (permission denied); fix its mode or pass another with --config");
        } catch (JsonProcessingException e) {
            throw new ConfigException("", file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void merge(ObjectNode target, JsonNode source, String prefix, String origin, Map<String, String> sources) {
        source.properties().forEach(entry -> {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            JsonNode existing = target.get(entry.getKey());
            if (existing != null && existing.isObject() && entry.getValue().isObject()) {
                merge((ObjectNode) existing, entry.getValue(), path, origin, sources);
            } else {
                target.set(entry.getKey(), entry.getValue());
                sources.put(path, origin);
            }
        });
    }

    /** Sets a key from a variable or flag: a list is written comma-separated. */
    private static void set(ObjectNode tree, ConfigKey key, String value, String origin, Map<String, String> sources) {
        if (key.list()) {
            ArrayNode items = MAPPER.createArrayNode();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
            put(tree, key.path(), items);
        } else {
            put(tree, key.path(), TextNode.valueOf(value));
        }
        sources.put(key.path(), origin);
    }

    private static void put(ObjectNode tree, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.withObjectProperty(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static JsonNode at(JsonNode tree, String path) {
        JsonNode node = tree;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    private static DormouseConfig bind(ObjectNode tree, Map<String, String> sources) {
        try {
            return MAPPER.treeToValue(tree, DormouseConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = path(e);
            String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
            Set<String> known = new TreeSet<>();
            e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            throw new ConfigException(key, from(key, sources) + "unknown key; allowed "
                    + (parent.isEmpty() ? "top-level keys" : "keys under '" + parent + "'") + ": " + String.join(", ", known));
        } catch (JsonProcessingException e) {
            throw explain(e, tree, sources);
        }
    }

    private static ConfigException explain(JsonProcessingException e, JsonNode tree, Map<String, String> sources) {
        String key = e instanceof JsonMappingException m ? path(m) : "";
        Throwable cause = e.getCause();
        String reason;
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            reason = cause.getMessage();
            String child = reason == null ? "" : reason.split(" ", 2)[0];
            if (ConfigKey.all().stream().anyMatch(k -> k.path().equals(key.isEmpty() ? child : key + "." + child))) {
                return explainLeaf(key.isEmpty() ? child : key + "." + child, reason, tree, sources);
            }
        } else if (e instanceof InvalidFormatException f) {
            reason = "expected " + describe(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            reason = "expected " + describe(m.getTargetType());
        } else {
            reason = e.getOriginalMessage();
        }
        return explainLeaf(key, reason, tree, sources);
    }

    private static ConfigException explainLeaf(String key, String reason, JsonNode tree, Map<String, String> sources) {
        JsonNode value = at(tree, key);
        String shown = value.isMissingNode() ? "" : "value " + (value.isValueNode() ? "\"" + value.asText() + "\"" : value.toString()) + " is invalid: ";
        return new ConfigException(key, from(key, sources) + shown + reason);
    }

    private static String from(String key, Map<String, String> sources) {
        String origin = sources.get(key);
        return origin == null ? "" : "(from " + origin + ") ";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(JsonMappingException.Reference::getFieldName)
                .filter(name -> name != null)
                .collect(Collectors.joining("."));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different kind of value";
        }
        if (type.isRecord() && type != ListenAddress.class && type != Secret.class) {
            return "a mapping of keys";
        }
        if (type == ListenAddress.class) {
            return "host:port such as 127.0.0.1:7070";
        }
        if (type == Duration.class) {
            return "a duration such as 1500ms, 60s or 2h";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list (in variables and flags: comma-separated)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName().toLowerCase();
    }

    private static YAMLMapper mapper() {
        SimpleModule types = new SimpleModule("dormouse-config");
        types.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(HumanDuration.format(value));
            }
        });
        types.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                try {
                    return HumanDuration.parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage(), e);
                }
            }
        });
        types.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        types.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (!p.currentToken().isScalarValue()) {
                    throw MismatchedInputException.from(p, Path.class, "expected a path");
                }
                return Path.of(p.getValueAsString());
            }
        });
        return YAMLMapper.builder(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build())
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(types)
                .build();
    }
}
