package io.dormouse.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.dormouse.config.LogConfig;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Where log lines go: standard error, one line per event, as {@code key=value} text for
 * people or JSON for machines. Libraries logging through java.util.logging are bridged.
 */
public final class LogOutput {

    /** logfmt: every field is {@code key=value}, event context from SLF4J key-value pairs. */
    static final String TEXT_PATTERN =
            "ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} level=%level logger=%logger{0} msg=\"%replace(%msg){'\"','\\\\\"'}\" %kvp{DOUBLE}%n";

    private LogOutput() {
    }

    public static void configure(LogConfig config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Encoder<ILoggingEvent> encoder = switch (config.format()) {
            case TEXT -> {
                PatternLayoutEncoder e = new PatternLayoutEncoder();
                e.setPattern(TEXT_PATTERN);
                yield e;
            }
            case JSON -> new JsonEncoder();
        };
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        root.addAppender(appender);
        // Helidon and the JDK log through java.util.logging: route them here, quieter than ours.
        context.getLogger("io.helidon").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    }
}
