/**
 * PHI Courier metrics for Micrometer: a run listener that counts records, bytes, objects,
 * retries and quarantined records and gauges bookmark lag, tagged by stream names only.
 */
module org.phicourier.micrometer {
    requires transitive org.phicourier.core;
    requires transitive micrometer.core;

    exports org.phicourier.micrometer;
}
