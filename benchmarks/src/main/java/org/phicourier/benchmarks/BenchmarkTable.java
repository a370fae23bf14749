package org.phicourier.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A generated patient table in PostgreSQL with PHI-shaped columns (about 250 bytes a row), made
 * once per size and reused by later runs.
 */
final class BenchmarkTable {
    static final String SCHEMA = "phi_courier_bench";

    private BenchmarkTable() {
    }

    static String name(long rows) {
        return SCHEMA + ".patients_" + rows;
    }

    static void ensure(Connection connection, long rows) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            if (existingRows(statement, rows) == rows) {
                return;
            }
            statement.execute("DROP TABLE IF EXISTS " + name(rows));
            statement.execute("CREATE TABLE " + name(rows) + " AS SELECT"
                    + " md5(g::text)::uuid::text AS id,"
                    + " 'MRN' || lpad(g::text, 9, '0') AS mrn,"
                    + " '999-' || lpad((g % 100)::text, 2, '0') || '-'"
                    + "   || lpad((g % 10000)::text, 4, '0') AS ssn,"
                    + " (ARRAY['Ada','Bashir','Carmen','Dmitri','Elif','Femi','Grace','Hiro'])"
                    + "   [1 + g % 8] || (g % 997) AS first_name,"
                    + " (ARRAY['Abara','Bergstrom','Castellano','Dlamini','Eriksen','Fontaine'])"
                    + "   [1 + g % 6] || (g % 991) AS last_name,"
                    + " DATE '1930-01-01' + (g % 33000) AS birth_date,"
                    + " CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END AS gender,"
                    + " (g % 999 + 1) || ' ' || (ARRAY['Alder Way','Birch Lane','Cedar Court',"
                    + "   'Elm Street'])[1 + g % 4] AS street,"
                    + " (ARRAY['Riverton','Lakeside','Hillcrest','Fairview'])[1 + g % 4] AS city,"
                    + " 'MA' AS state,"
                    + " lpad((g % 99999)::text, 5, '0') AS zip,"
                    + " '555-01' || lpad((g % 100)::text, 2, '0') AS phone,"
                    + " 'p' || g || '@example.org' AS email,"
                    + " TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '1 minute'"
                    + "   AS created_at,"
                    + " ((g % 100000) / 100.0)::numeric(12,2) AS balance,"
                    + " repeat(md5((g * 7)::text), 3) AS note"
                    + " FROM generate_series(1, " + rows + ") g");
            statement.execute("ANALYZE " + name(rows));
        }
    }

    /** The target for a synthetic table of this size. */
    static Target target(long rows) throws Exception {
        return new Target("synthetic-" + rows, name(rows), rows, copyBytes(name(rows)));
    }

    static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    /** The size of the table's COPY text, which the byte rates are computed over. */
    static long copyBytes(String table) throws Exception {
        Process psql = new ProcessBuilder("bash", "-c", "set -o pipefail; "
                + Runner.psqlCopy(new Target(table, table, 0, 0)) + " | wc -c")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("could not COPY " + table);
        }
        return Long.parseLong(out.strip());
    }

    private static long existingRows(Statement statement, long rows) throws SQLException {
        try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + name(rows)
                + "') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return -1;
            }
        }
        try (ResultSet count = statement.executeQuery("SELECT count(*) FROM " + name(rows))) {
            count.next();
            return count.getLong(1);
        }
    }
}
