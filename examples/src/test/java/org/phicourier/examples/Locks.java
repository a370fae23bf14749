package org.phicourier.examples;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Watches a MariaDB server for a session waiting on a table lock, as an incremental read does. */
final class Locks {
    private Locks() {
    }

    static void awaitMetadataLockWait(Connection watch) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (Statement statement = watch.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM"
                            + " information_schema.PROCESSLIST WHERE STATE LIKE"
                            + " 'Waiting for table metadata lock%'")) {
                rows.next();
                if (rows.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no read waited for the table lock");
    }
}
