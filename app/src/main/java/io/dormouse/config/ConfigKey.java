package io.dormouse.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One leaf key of the configuration, found by walking the configuration records. */
record ConfigKey(String path, Class<?> type, boolean secret) {

    private static final List<ConfigKey> ALL = List.copyOf(walk(DormouseConfig.class, ""));

    static List<ConfigKey> all() {
        return ALL;
    }

    /** {@code DORMOUSE_} and the path in capitals, dots and hyphens as underscores. */
    String variable() {
        return "DORMOUSE_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Whether the value is a list: in variables and flags it is written comma-separated. */
    boolean list() {
        return List.class.isAssignableFrom(type);
    }

    private static List<ConfigKey> walk(Class<?> record, String prefix) {
        List<ConfigKey> keys = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + kebab(c.getName());
            Class<?> type = c.getType();
            if (type.isRecord() && type != ListenAddress.class && type != Secret.class) {
                keys.addAll(walk(type, path + "."));
            } else {
                boolean secret = type == Secret.class || c.getGenericType() instanceof ParameterizedType p
                        && p.getActualTypeArguments()[0] == Secret.class;
                keys.add(new ConfigKey(path, type, secret));
            }
        }
        return keys;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
