package io.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** A one-line description of the machine a benchmark ran on, for the results page. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        List<String> cpu = lines("/proc/cpuinfo");
        long processors = cpu.stream().filter(l -> l.startsWith("processor")).count();
        String model = cpu.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        String memory = lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> String.format("%.1f GiB",
                        Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("unknown memory");
        int usable = Runtime.getRuntime().availableProcessors();
        return String.format("%s, nproc %d (this run could use %d), %s memory, Java %s, %s",
                model, processors, usable, memory, Runtime.version(), LocalDate.now(ZoneOffset.UTC));
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
