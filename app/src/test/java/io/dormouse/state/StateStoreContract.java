package io.dormouse.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every state database must do, whichever engine holds it. Each implementation's test extends
 * this class and supplies empty databases.
 */
abstract class StateStoreContract {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final String SPEC = "{\"cpus\":2,\"memoryMib\":512}";

    /** Settings of a new, empty database for one test. */
    protected abstract DatabaseSettings freshDatabase();

    /** Settings, with a password in them, of a database that cannot be opened. */
    protected abstract DatabaseSettings unreachableDatabase();

    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    DatabaseSettings settings;
    StateStore store;

    @BeforeEach
    void openStore() {
        settings = freshDatabase();
        store = StateStore.open(settings, now::get);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    VmRecord vm(String name) {
        return store.vms().insert(new NewVm(name, "Running", SPEC, "127.0.1.1", "127.0.2.1", 5, "standard"));
    }

    @Test
    void aTransitionWritesTheRowAndTheJournalTogether() {
        VmRecord vm = vm("web-1");
        Transitions.Begun begun = store.transitions().begin(vm, "hibernating", "hibernated", "api");
        assertThat(begun.vm().state()).isEqualTo("hibernating");
        assertThat(begun.vm().version()).isEqualTo(vm.version() + 1);
        assertThat(store.vmEvents().listOpen()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(begun.event());
            assertThat(e.fromState()).isEqualTo("Running");
            assertThat(e.toState()).isEqualTo("hibernated");
        });
        advance(Duration.ofMillis(250));
        VmRecord done = store.transitions().complete(begun.vm(), "hibernated", null, "127.0.2.1", begun.event(),
                VmEvent.Outcome.SUCCEEDED, null);
        assertThat(done.state()).isEqualTo("hibernated");
        assertThat(done.address()).isNull();
        assertThat(store.vmEvents().listOpen()).isEmpty();
        assertThat(store.vmEvents().listByVm(vm.id()).getFirst().duration()).isEqualTo(Duration.ofMillis(250));

        // a stale row fails the whole completion: the journal entry stays as it was
        long again = store.transitions().begin(done, "restoring", "running", "dns").event();
        assertThatThrownBy(() -> store.transitions().complete(done, "running", "127.0.1.1", null, again,
                VmEvent.Outcome.SUCCEEDED, null)).isInstanceOfSatisfying(StateException.class,
                e -> assertThat(e.kind()).isEqualTo(StateException.Kind.CONFLICT));
        assertThat(store.vmEvents().listOpen()).extracting(VmEvent::id).containsExactly(again);
    }

    @Test
    void insertedVmReadsBackWithStoreAssignedFields() {
        VmRecord inserted = store.vms().insert(new NewVm("web-1", "Provisioning", SPEC, null, "127.0.2.7", 3, "gold"));

        assertThat(inserted.id()).isPositive();
        assertThat(inserted).extracting(VmRecord::name, VmRecord::state, VmRecord::spec, VmRecord::address,
                        VmRecord::frontAddress, VmRecord::priority, VmRecord::slaClass, VmRecord::createdAt,
                        VmRecord::updatedAt, VmRecord::version)
                .containsExactly("web-1", "Provisioning", SPEC, null, "127.0.2.7", 3, "gold", T0, T0, 1L);
        assertThat(store.vms().find("web-1")).contains(inserted);
        assertThat(store.vms().find("web-2")).isEmpty();
    }

    @Test
    void listIsOrderedByName() {
        vm("zeta");
        vm("alpha");
        vm("mid");

        assertThat(store.vms().list()).extracting(VmRecord::name).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void duplicateNameIsRefusedAndTheFirstVmIsKept() {
        VmRecord first = vm("web-1");

        assertThatThrownBy(() -> store.vms().insert(new NewVm("web-1", "Stopped", "{}", null, null, 0, "bronze")))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.DUPLICATE))
                .hasMessageContaining("a VM named web-1 already exists");
        assertThat(store.vms().list()).containsExactly(first);
    }

    @Test
    void stateUpdateBumpsVersionAndUpdatedTime() {
        VmRecord created = vm("web-1");
        advance(Duration.ofSeconds(30));

        VmRecord updated = store.vms().updateState(created, "Hibernating");

        assertThat(updated.state()).isEqualTo("Hibernating");
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.createdAt()).isEqualTo(T0);
        assertThat(updated.updatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(store.vms().find("web-1")).contains(updated);
    }

    @Test
    void updateFromStaleVersionConflictsAndLeavesTheWinnersState() {
        VmRecord readByA = vm("web-1");
        VmRecord readByB = store.vms().find("web-1").orElseThrow();
        store.vms().updateState(readByA, "Hibernating");

        assertThatThrownBy(() -> store.vms().updateState(readByB, "Stopping"))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.CONFLICT))
                .hasMessageContaining("version 1")
                .hasMessageContaining("at version 2");
        assertThat(store.vms().find("web-1").orElseThrow())
                .extracting(VmRecord::state, VmRecord::version)
                .containsExactly("Hibernating", 2L);
    }

    @Test
    void concurrentWritersRetryingOnConflictLoseNoUpdate() throws Exception {
        vm("web-1");
        int writers = 4;
        int updatesEach = 10;
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String state = "State" + w;
                conflicts.add(pool.submit(() -> {
                    int seen = 0;
                    for (int done = 0; done < updatesEach; ) {
                        VmRecord current = store.vms().find("web-1").orElseThrow();
                        try {
                            store.vms().updateState(current, state);
                            done++;
                        } catch (StateException e) {
                            assertThat(e.kind()).isEqualTo(StateException.Kind.CONFLICT);
                            seen++;
                        }
                    }
                    return seen;
                }));
            }
            for (Future<Integer> f : conflicts) {
                f.get();
            }
        }

        assertThat(store.vms().find("web-1").orElseThrow().version()).isEqualTo(1L + writers * updatesEach);
    }

    @Test
    void deletedVmIsGoneAndCannotBeUpdated() {
        VmRecord created = vm("web-1");

        assertThat(store.vms().delete(created.id())).isTrue();
        assertThat(store.vms().delete(created.id())).isFalse();
        assertThat(store.vms().find("web-1")).isEmpty();
        assertThatThrownBy(() -> store.vms().updateState(created, "Running"))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.NOT_FOUND));
    }

    @Test
    void idsOfDeletedVmsAreNotReused() {
        VmRecord first = vm("web-1");
        store.vms().delete(first.id());

        assertThat(vm("web-1").id()).isGreaterThan(first.id());
    }

    @Test
    void transitionIsOpenUntilCompletedAndRecordsItsDuration() {
        VmRecord web = vm("web-1");
        long hibernate = store.vmEvents().begin(web.id(), "Running", "Hibernating", "idle for 10m");
        advance(Duration.ofMillis(250));
        long other = store.vmEvents().begin(web.id(), "Hibernating", "Hibernated", "saved");

        assertThat(store.vmEvents().listOpen()).extracting(VmEvent::id).containsExactly(hibernate, other);

        advance(Duration.ofMillis(1250));
        VmEvent done = store.vmEvents().complete(hibernate, VmEvent.Outcome.SUCCEEDED, null);

        assertThat(done).extracting(VmEvent::vmId, VmEvent::fromState, VmEvent::toState, VmEvent::reason,
                        VmEvent::startedAt, VmEvent::completedAt, VmEvent::duration, VmEvent::outcome, VmEvent::error)
                .containsExactly(web.id(), "Running", "Hibernating", "idle for 10m", T0, T0.plusMillis(1500),
                        Duration.ofMillis(1500), VmEvent.Outcome.SUCCEEDED, null);
        assertThat(done.inFlight()).isFalse();
        assertThat(store.vmEvents().listOpen()).extracting(VmEvent::id).containsExactly(other);
        assertThat(store.vmEvents().listByVm(web.id())).extracting(VmEvent::id, VmEvent::inFlight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(hibernate, false),
                        org.assertj.core.groups.Tuple.tuple(other, true));
    }

    @Test
    void failedTransitionKeepsItsError() {
        VmRecord web = vm("web-1");
        long id = store.vmEvents().begin(web.id(), "Hibernated", "Restoring", "dns query");

        VmEvent failed = store.vmEvents().complete(id, VmEvent.Outcome.FAILED, "qemu exited with status 1");

        assertThat(store.vmEvents().listByVm(web.id())).containsExactly(failed);
        assertThat(failed.error()).isEqualTo("qemu exited with status 1");
    }

    @Test
    void transitionCompletesOnlyOnce() {
        VmRecord web = vm("web-1");
        long id = store.vmEvents().begin(web.id(), "Running", "Stopping", "operator");
        store.vmEvents().complete(id, VmEvent.Outcome.SUCCEEDED, null);

        assertThatThrownBy(() -> store.vmEvents().complete(id, VmEvent.Outcome.ROLLED_BACK, null))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.CONFLICT))
                .hasMessageContaining("completed already");
        assertThat(store.vmEvents().listByVm(web.id()).getFirst().outcome()).isEqualTo(VmEvent.Outcome.SUCCEEDED);
        assertThatThrownBy(() -> store.vmEvents().complete(id + 1000, VmEvent.Outcome.SUCCEEDED, null))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.NOT_FOUND));
    }

    @Test
    void rowsReferringToAMissingVmAreRefused() {
        long missing = vm("web-1").id() + 1000;

        assertThatThrownBy(() -> store.vmEvents().begin(missing, "Running", "Stopping", "operator"))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> store.metricSamples().append(List.of(new MetricSample(missing, "cpu", T0, 1))))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.NOT_FOUND));
    }

    @Test
    void deletingAVmDeletesItsHistory() {
        VmRecord web = vm("web-1");
        VmRecord db = vm("db-1");
        for (VmRecord v : List.of(web, db)) {
            store.vmEvents().begin(v.id(), "Running", "Hibernating", "idle");
            store.snapshotVersions().add(version(v.id(), 1, null));
            store.metricSamples().append(List.of(new MetricSample(v.id(), "cpu", T0, 0.5)));
        }

        store.vms().delete(web.id());

        assertThat(store.vmEvents().listByVm(web.id())).isEmpty();
        assertThat(store.snapshotVersions().listByVm(web.id())).isEmpty();
        assertThat(store.metricSamples().range(web.id(), "cpu", T0, T0.plusSeconds(1))).isEmpty();
        assertThat(store.vmEvents().listByVm(db.id())).hasSize(1);
        assertThat(store.snapshotVersions().listByVm(db.id())).hasSize(1);
        assertThat(store.metricSamples().range(db.id(), "cpu", T0, T0.plusSeconds(1))).hasSize(1);
    }

    static SnapshotVersion version(long vmId, long version, Long parent) {
        return new SnapshotVersion(vmId, version, parent, "manifests/" + vmId + "/" + version,
                T0.plusSeconds(version), 1L << 30, parent == null ? 1L << 30 : 4096L * version, "7.2.19",
                "pc-q35-7.2/2/512");
    }

    @Test
    void snapshotVersionsListInOrderAndTheLatestIsTheHighest() {
        VmRecord web = vm("web-1");
        VmRecord db = vm("db-1");
        store.snapshotVersions().add(version(web.id(), 1, null));
        store.snapshotVersions().add(version(web.id(), 3, 2L));
        store.snapshotVersions().add(version(web.id(), 2, 1L));
        store.snapshotVersions().add(version(db.id(), 7, null));

        assertThat(store.snapshotVersions().listByVm(web.id())).containsExactly(
                version(web.id(), 1, null), version(web.id(), 2, 1L), version(web.id(), 3, 2L));
        assertThat(store.snapshotVersions().latest(web.id())).contains(version(web.id(), 3, 2L));
        assertThat(store.snapshotVersions().latest(db.id())).contains(version(db.id(), 7, null));

        assertThat(store.snapshotVersions().delete(web.id(), 3)).isTrue();
        assertThat(store.snapshotVersions().delete(web.id(), 3)).isFalse();
        assertThat(store.snapshotVersions().latest(web.id())).contains(version(web.id(), 2, 1L));
    }

    @Test
    void snapshotVersionIsNeverRewritten() {
        VmRecord web = vm("web-1");
        store.snapshotVersions().add(version(web.id(), 1, null));
        SnapshotVersion other = new SnapshotVersion(web.id(), 1, null, "manifests/elsewhere", T0, 10, 10, "8.0", "x");

        assertThatThrownBy(() -> store.snapshotVersions().add(other))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.DUPLICATE))
                .hasMessageContaining("has a version 1 already");
        assertThat(store.snapshotVersions().listByVm(web.id())).containsExactly(version(web.id(), 1, null));
        assertThat(store.snapshotVersions().latest(web.id() + 1000)).isEmpty();
    }

    @Test
    void hostUpsertKeepsTheIdAndRefreshesCapacityAndHeartbeat() {
        HostRecord first = store.hosts().upsert("host-a", 16, 65536, 10000, Map.of("zone", "a", "disk", "nvme"));
        store.hosts().upsert("host-0", 4, 8192, 1000, Map.of());
        advance(Duration.ofSeconds(15));

        HostRecord again = store.hosts().upsert("host-a", 32, 131072, 25000, Map.of("zone", "b"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(first).extracting(HostRecord::labels, HostRecord::heartbeatAt)
                .containsExactly(Map.of("zone", "a", "disk", "nvme"), T0);
        assertThat(store.hosts().list()).containsExactly(
                new HostRecord(store.hosts().list().getFirst().id(), "host-0", 4, 8192, 1000, Map.of(), T0),
                new HostRecord(first.id(), "host-a", 32, 131072, 25000, Map.of("zone", "b"), T0.plusSeconds(15)));
    }

    static List<MetricSample> samples(long vmId, String metric, int fromSecond, int count) {
        List<MetricSample> samples = new ArrayList<>();
        for (int s = fromSecond; s < fromSecond + count; s++) {
            samples.add(new MetricSample(vmId, metric, T0.plusSeconds(s), s * 1.5));
        }
        return samples;
    }

    @Test
    void metricRangeIsHalfOpenOrderedAndSelective() {
        VmRecord web = vm("web-1");
        VmRecord db = vm("db-1");
        List<MetricSample> cpu = samples(web.id(), "cpu", 0, 10);
        List<MetricSample> shuffled = new ArrayList<>(cpu);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        store.metricSamples().append(shuffled);
        store.metricSamples().append(samples(web.id(), "connections", 0, 10));
        store.metricSamples().append(samples(db.id(), "cpu", 0, 10));

        assertThat(store.metricSamples().range(web.id(), "cpu", T0.plusSeconds(2), T0.plusSeconds(5)))
                .containsExactlyElementsOf(cpu.subList(2, 5));
        assertThat(store.metricSamples().range(web.id(), "cpu", T0.minusSeconds(60), T0.plusSeconds(60)))
                .containsExactlyElementsOf(cpu);
        assertThat(store.metricSamples().range(web.id(), "cpu", T0.plusSeconds(10), T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void appendingSamplesAgainAddsNothing() {
        VmRecord web = vm("web-1");
        List<MetricSample> batch = samples(web.id(), "cpu", 0, 20);

        assertThat(store.metricSamples().append(batch)).isEqualTo(20);
        assertThat(store.metricSamples().append(batch)).isZero();
        List<MetricSample> overlapping = new ArrayList<>(samples(web.id(), "cpu", 15, 10));
        overlapping.set(0, new MetricSample(web.id(), "cpu", T0.plusSeconds(15), 999));
        assertThat(store.metricSamples().append(overlapping)).isEqualTo(5);

        List<MetricSample> stored = store.metricSamples().range(web.id(), "cpu", T0, T0.plusSeconds(60));
        assertThat(stored).containsExactlyElementsOf(samples(web.id(), "cpu", 0, 25));
        assertThat(store.metricSamples().append(List.of())).isZero();
    }

    @Test
    void calendarEventsRoundTripAndCanBeRemoved() {
        NewCalendarEvent backup = new NewCalendarEvent("nightly backup", CalendarEvent.Kind.RECURRING, "0 2 * * *",
                null, null, Duration.ofMinutes(45), 3.0, null);
        NewCalendarEvent launch = new NewCalendarEvent("launch", CalendarEvent.Kind.ONE_OFF, null,
                Instant.parse("2026-04-01T09:00:00Z"), null, Duration.ofHours(6), 10.0, "web-1");
        NewCalendarEvent season = new NewCalendarEvent("sale season", CalendarEvent.Kind.RECURRING, "0 9 * * 1-5",
                Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z"), Duration.ofHours(8),
                1.5, null);

        CalendarEvent a = store.calendarEvents().add(backup);
        advance(Duration.ofMinutes(1));
        CalendarEvent b = store.calendarEvents().add(launch);
        CalendarEvent c = store.calendarEvents().add(season);

        assertThat(store.calendarEvents().list()).containsExactly(a, b, c);
        assertThat(a).isEqualTo(new CalendarEvent(a.id(), "nightly backup", CalendarEvent.Kind.RECURRING, "0 2 * * *",
                null, null, Duration.ofMinutes(45), 3.0, null, T0));
        assertThat(a.fleetWide()).isTrue();
        assertThat(b).isEqualTo(new CalendarEvent(b.id(), "launch", CalendarEvent.Kind.ONE_OFF, null,
                Instant.parse("2026-04-01T09:00:00Z"), null, Duration.ofHours(6), 10.0, "web-1", T0.plusSeconds(60)));
        assertThat(c.endsAt()).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));

        assertThat(store.calendarEvents().remove(b.id())).isTrue();
        assertThat(store.calendarEvents().remove(b.id())).isFalse();
        assertThat(store.calendarEvents().list()).containsExactly(a, c);
    }

    @Test
    void schedulePolicyAndTunedThresholdsAreKeptApartAndGoWithTheirVm() {
        VmRecord web = vm("web-1");
        VmRecord db = vm("db-1");
        assertThat(store.vmSchedules().find(web.id())).isEmpty();

        store.vmSchedules().putPolicy(web.id(), "{\"kind\":\"predictive\"}");
        advance(Duration.ofMinutes(1));
        VmSchedule tuned = store.vmSchedules().putTuned(web.id(), "{\"expectedCost\":3.5}");
        assertThat(tuned).isEqualTo(new VmSchedule(web.id(), "{\"kind\":\"predictive\"}", "{\"expectedCost\":3.5}",
                T0.plusSeconds(60)));
        store.vmSchedules().putPolicy(web.id(), "{\"kind\":\"fixed-idle\"}");
        store.vmSchedules().putTuned(db.id(), "{}");
        assertThat(store.vmSchedules().find(web.id())).get().extracting(VmSchedule::policy, VmSchedule::tuned)
                .containsExactly("{\"kind\":\"fixed-idle\"}", "{\"expectedCost\":3.5}");
        assertThat(store.vmSchedules().list()).extracting(VmSchedule::vmId).containsExactly(web.id(), db.id());

        assertThatThrownBy(() -> store.vmSchedules().putPolicy(web.id() + db.id() + 10, "{}"))
                .isInstanceOf(StateException.class)
                .extracting(e -> ((StateException) e).kind()).isEqualTo(StateException.Kind.NOT_FOUND);
        store.vms().delete(web.id());
        assertThat(store.vmSchedules().find(web.id())).isEmpty();
    }

    @Test
    void bandwidthLimitsAreSetReplacedClearedAndGoWithTheirVm() {
        VmRecord web = vm("web-1");
        VmRecord db = vm("db-1");
        assertThat(store.vmBandwidths().all()).isEmpty();

        store.vmBandwidths().put(web.id(), 1_000_000);
        store.vmBandwidths().put(db.id(), 5_000);
        store.vmBandwidths().put(web.id(), 250_000);
        assertThat(store.vmBandwidths().all()).containsExactly(Map.entry(web.id(), 250_000L), Map.entry(db.id(), 5_000L));
        store.vmBandwidths().put(db.id(), 0);
        assertThat(store.vmBandwidths().all()).as("0 is unlimited: no row").containsOnlyKeys(web.id());

        assertThatThrownBy(() -> store.vmBandwidths().put(web.id() + db.id() + 10, 1))
                .isInstanceOf(StateException.class)
                .extracting(e -> ((StateException) e).kind()).isEqualTo(StateException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> store.vmBandwidths().put(web.id(), -1)).hasMessageContaining("0 (unlimited) or more");
        assertThat(store.vmBandwidths().all()).containsEntry(web.id(), 250_000L);
        store.vms().delete(web.id());
        assertThat(store.vmBandwidths().all()).isEmpty();
    }

    @Test
    void scheduleDecisionsListNewestFirstPerVm() {
        VmRecord web = vm("web-1");
        VmRecord db = vm("db-1");
        ScheduleDecision first = store.scheduleDecisions().append(web.id(), T0, "hibernate", "quiet-predicted",
                "predicted demand stays below 0.5 for the next 15m", true);
        ScheduleDecision second = store.scheduleDecisions().append(web.id(), T0.plusSeconds(600), "wake-ahead",
                "demand-ahead", "predicted demand 4 at +2m crosses", false);
        store.scheduleDecisions().append(db.id(), T0, "hibernate", "quiet-observed", "quiet", true);

        assertThat(store.scheduleDecisions().latest(web.id(), 10)).containsExactly(second, first);
        assertThat(store.scheduleDecisions().latest(web.id(), 1)).containsExactly(second);
        assertThat(first.acted()).isTrue();
        assertThat(second.acted()).isFalse();
        assertThat(second.at()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void migratingAnUpToDateDatabaseChangesNothing() {
        VmRecord web = vm("web-1");
        assertThat(Migrations.apply(((Database) store).dataSource(), settings)).isZero();
        store.close();

        store = StateStore.open(settings, now::get);
        assertThat(store.vms().list()).containsExactly(web);
    }

    @Test
    void databaseHoldingOtherTablesIsNotMigrated() throws SQLException {
        DatabaseSettings tampered = freshDatabase();
        try (Connection connection = DriverManager.getConnection(tampered.url(),
                Dialect.of(tampered).connectionProperties(tampered))) {
            connection.createStatement().execute("CREATE TABLE vms (made_by_hand INTEGER)");
        }

        assertThatThrownBy(() -> StateStore.open(tampered))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.MIGRATION_FAILED))
                .hasMessageContaining(tampered.maskedUrl());
    }

    @Test
    void unreachableDatabaseFailsWithTheMaskedUrlAndWhatToCheck() {
        DatabaseSettings unreachable = unreachableDatabase();

        assertThatThrownBy(() -> StateStore.open(unreachable))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.UNAVAILABLE))
                .hasMessageContaining(unreachable.maskedUrl())
                .hasMessageContaining("database.url")
                .hasMessageNotContaining(unreachable.password());
    }

    @Test
    void urlOfAnotherDatabaseIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:mysql://db/dormouse?password=s3cret", "u", "s3cret",
                Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.INVALID_SETTINGS))
                .hasMessageContaining("database.url")
                .hasMessageContaining("jdbc:sqlite:")
                .hasMessageContaining("jdbc:postgresql:")
                .hasMessageNotContaining("s3cret");
    }
}
