package io.dormouse.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One leaf key of the configuration, found by walking the configuration records. */
record ConfigKey(String path, Class<?> type) {

    private static final List<ConfigKey> ALL = List.copyOf(walk(DormouseConfig.class, ""));

    static List<ConfigKey> all() {
        return ALL;
    }

    /** {@code DORMOUSE_} and the path in capitals, dots and hyphens as underscores. */
    String variable() {
        return "DORMOUSE_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    boolean secret() {
        return type == Secret.class;
    }

    private static List<ConfigKey> walk(Class<?> record, String prefix) {
        List<ConfigKey> keys = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + kebab(c.getName());
            Class<?> type = c.getType();
            if (type.isRecord() && type != ListenAddress.class && type != Secret.class) {
                keys.addAll(walk(type, path + "."));
            } else {
                keys.add(new ConfigKey(path, type));
            }
        }
        return keys;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
