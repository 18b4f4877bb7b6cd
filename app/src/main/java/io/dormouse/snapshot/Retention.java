package io.dormouse.snapshot;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which versions of a VM to keep: the newest {@code keepLast}, plus the newest version of each of
 * the last {@code daily} days and of each of the last {@code weekly} ISO weeks (UTC). The newest
 * version is always kept: it is the one a restore needs.
 */
public record Retention(int keepLast, int daily, int weekly) {

    public Retention {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be 1 or more (the newest version is what a restore needs),"
                    + " got " + keepLast);
        }
        if (daily < 0 || weekly < 0) {
            throw new IllegalArgumentException("daily and weekly must be 0 or more, got daily " + daily + ", weekly "
                    + weekly);
        }
    }

    /** The numbers of the versions to keep among one VM's {@code versions}, judged at {@code now}. */
    Set<Long> keep(List<Version> versions, Instant now) {
        List<Version> newestFirst = versions.stream()
                .sorted(Comparator.comparingLong(Version::number).reversed()).toList();
        Set<Long> kept = new HashSet<>();
        newestFirst.stream().limit(keepLast).forEach(v -> kept.add(v.number()));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Set<LocalDate> days = new HashSet<>();
        Set<Long> weeks = new HashSet<>();
        for (Version v : newestFirst) {
            LocalDate day = LocalDate.ofInstant(v.createdAt(), ZoneOffset.UTC);
            if (ChronoUnit.DAYS.between(day, today) < daily && days.add(day)) {
                kept.add(v.number());
            }
            long week = weekNumber(day);
            if (weekNumber(today) - week < weekly && weeks.add(week)) {
                kept.add(v.number());
            }
        }
        return kept;
    }

    /** Weeks since a fixed Monday, counting ISO weeks (which start on Monday). */
    private static long weekNumber(LocalDate day) {
        LocalDate monday = day.minusDays(day.getDayOfWeek().getValue() - 1L);
        return ChronoUnit.WEEKS.between(LocalDate.of(1970, 1, 5), monday);
    }
}
