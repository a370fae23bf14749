package org.phicourier.examples;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A small synthetic patient population of the project's own making, written into a database so
 * that the quickstart has PHI-shaped data to move. Names, SSNs (area 999, never issued), phone
 * numbers (555-01xx, reserved for fiction) and addresses are invented from a fixed seed.
 */
final class SyntheticPatients {
    private static final String[] FIRST = {"Ada", "Bashir", "Carmen", "Dmitri", "Elif", "Femi",
        "Grace", "Hiro", "Ines", "Jonas", "Kalani", "Lucia", "Mateo", "Nia", "Oskar", "Priya"};
    private static final String[] LAST = {"Abara", "Bergstrom", "Castellano", "Dlamini",
        "Eriksen", "Fontaine", "Gallardo", "Haddad", "Ishikawa", "Jovanovic", "Kowalczyk",
        "Lindqvist", "Moreau", "Nakamura", "Okafor", "Pellegrini"};
    private static final String[] STREETS = {"Alder Way", "Birch Lane", "Cedar Court",
        "Dogwood Road", "Elm Street", "Fir Avenue"};
    private static final String[] CITIES = {"Riverton", "Lakeside", "Hillcrest", "Fairview"};
    private static final String[] CLASSES = {"ambulatory", "emergency", "inpatient", "wellness"};
    private static final long[] REASONS = {10939881000119104L, 444814009L, 195662009L,
        72892002L, 68496003L};

    private final Random random = new Random(20261204L);
    private final int patients;
    private final int encountersPerPatient;
    private final List<String> ssns = new ArrayList<>();

    SyntheticPatients(int patients, int encountersPerPatient) {
        this.patients = patients;
        this.encountersPerPatient = encountersPerPatient;
    }

    /** Creates the tables {@code patients} and {@code encounters} and fills them. */
    void load(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE patients (id VARCHAR(36) PRIMARY KEY,"
                    + " mrn VARCHAR(12) NOT NULL, first_name VARCHAR(40), last_name VARCHAR(40),"
                    + " ssn CHAR(11), birth_date DATE, gender CHAR(1), street VARCHAR(80),"
                    + " city VARCHAR(40), state CHAR(2), zip VARCHAR(10), phone VARCHAR(20),"
                    + " email VARCHAR(80), updated_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("CREATE TABLE encounters (id VARCHAR(36) PRIMARY KEY,"
                    + " patient_id VARCHAR(36) NOT NULL, started_at TIMESTAMP,"
                    + " ended_at TIMESTAMP, encounter_class VARCHAR(20), reason_code BIGINT,"
                    + " cost DECIMAL(12,2), note CLOB)");
        }
        List<String> ids = insertPatients(connection);
        insertEncounters(connection, ids);
    }

    private List<String> insertPatients(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO patients"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < patients; i++) {
                String id = uuid();
                String first = pick(FIRST);
                String last = pick(LAST);
                String ssn = String.format("999-%02d-%04d", random.nextInt(100),
                        random.nextInt(10000));
                ids.add(id);
                ssns.add(ssn);
                insert.setString(1, id);
                insert.setString(2, String.format("MRN%08d", 10_000_000 + i));
                insert.setString(3, first);
                insert.setString(4, last);
                insert.setString(5, ssn);
                insert.setObject(6, LocalDate.of(1930, 1, 1).plusDays(random.nextInt(33_000)));
                insert.setString(7, random.nextBoolean() ? "F" : "M");
                insert.setString(8, (1 + random.nextInt(999)) + " " + pick(STREETS));
                insert.setString(9, pick(CITIES));
                insert.setString(10, "MA");
                insert.setString(11, String.format("0%04d", 1000 + random.nextInt(2000)));
                insert.setString(12, String.format("555-01%02d", random.nextInt(100)));
                insert.setString(13, (first + "." + last + "@example.org").toLowerCase());
                insert.setObject(14, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                        .plusMinutes(random.nextInt(400_000)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return ids;
    }

    private void insertEncounters(Connection connection, List<String> ids) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO encounters"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String patient : ids) {
                for (int j = 0; j < encountersPerPatient; j++) {
                    LocalDateTime start = LocalDateTime.of(2015, 1, 1, 8, 0)
                            .plusMinutes(random.nextInt(5_000_000));
                    insert.setString(1, uuid());
                    insert.setString(2, patient);
                    insert.setObject(3, start);
                    insert.setObject(4, start.plusMinutes(15 + random.nextInt(240)));
                    insert.setString(5, pick(CLASSES));
                    insert.setLong(6, REASONS[random.nextInt(REASONS.length)]);
                    insert.setBigDecimal(7, BigDecimal.valueOf(5_000 + random.nextInt(900_000), 2));
                    insert.setString(8, "Seen for follow-up; patient reports improvement.");
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Returns the SSNs written, so that the quickstart can check none is stored in plaintext. */
    List<String> ssns() {
        return List.copyOf(ssns);
    }

    int patients() {
        return patients;
    }

    int encounters() {
        return patients * encountersPerPatient;
    }
}
