package io.dormouse.state;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Brings a state database's schema up to the version this build expects, with Flyway. */
final class Migrations {

    private Migrations() {
    }

    /**
     * Applies the migrations the database lacks; a database already up to date is left alone.
     *
     * @return how many migrations ran
     */
    static int apply(DataSource connections, DatabaseSettings settings) {
        Dialect dialect = Dialect.of(settings);
        try {
            return Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(connections)
                    .locations(dialect.migrationLocation())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            throw new StateException(StateException.Kind.MIGRATION_FAILED,
                    "bringing the state database " + settings.maskedUrl() + " up to date failed: "
                            + e.getMessage().strip().replaceAll("\\.$", "") + ". Flyway keeps the schema at its last"
                            + " completed version; fix the cause (or restore a backup if the schema was changed by"
                            + " hand) and start again", e);
        }
    }
}
