package io.dormouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key with its real default and environment variable. */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([^`]*)` \\| `(DORMOUSE_[A-Z0-9_]+)` \\|", Pattern.MULTILINE);

    @Test
    void everyKeyIsDocumentedWithItsDefault() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        Map<String, String[]> rows = new HashMap<>();
        Matcher m = ROW.matcher(docs);
        while (m.find()) {
            rows.put(m.group(1), new String[] {m.group(2), m.group(3)});
        }
        JsonNode defaults = new YAMLMapper().readTree(ConfigReader.toYaml(DormouseConfig.defaults(), true));
        for (ConfigKey key : ConfigKey.all()) {
            assertThat(rows).as("docs/configuration.md row for %s", key.path()).containsKey(key.path());
            JsonNode value = defaults;
            for (String part : key.path().split("\\.")) {
                value = value.path(part);
            }
            String shown = value.isArray()
                    ? String.join(", ", value.valueStream().map(JsonNode::asText).toList())
                    : value.asText();
            assertThat(rows.get(key.path())[0]).as("documented default of %s", key.path()).isEqualTo(shown);
            assertThat(rows.get(key.path())[1]).as("variable of %s", key.path()).isEqualTo(key.variable());
        }
        assertThat(rows.keySet()).as("documented keys that do not exist")
                .containsExactlyInAnyOrderElementsOf(ConfigKey.all().stream().map(ConfigKey::path).toList());
    }
}
