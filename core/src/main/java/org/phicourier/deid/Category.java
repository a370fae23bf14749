package org.phicourier.deid;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of information a field holds, as de-identification sees it: the identifier
 * categories of HIPAA Safe Harbor (45 CFR 164.514(b)(2), letters A to R) and the kinds of
 * values that are not identifiers by themselves.
 *
 * <p>A {@link Preset} maps every category to an {@link Operation}; a field's category comes from
 * an explicit rule, a FHIR datatype default, the preset's path rules or the {@link Classifier}.
 */
public enum Category {
    /** A: names and parts of names of the individual or relatives. */
    NAME("A"),
    /** B: street address lines. */
    STREET("B"),
    /** B: city or town. */
    CITY("B"),
    /** B: county, district, precinct, birth place and other areas below state. */
    COUNTY("B"),
    /** B: geocodes such as latitude and longitude. */
    GEOCODE("B"),
    /** B: ZIP or postal code. */
    ZIP("B"),
    /** State: may stay under Safe Harbor. */
    STATE(""),
    /** Country: may stay under Safe Harbor. */
    COUNTRY(""),
    /** C: date of birth; also top-coded at 90 years. */
    BIRTH_DATE("C"),
    /** C: any other date or date-time tied to the individual. */
    DATE("C"),
    /** C: an age in years; ages over 89 collapse into one group. */
    AGE("C"),
    /** D: telephone number. */
    PHONE("D"),
    /** E: fax number. */
    FAX("E"),
    /** F: e-mail address. */
    EMAIL("F"),
    /** G: social security number. */
    SSN("G"),
    /** H: medical record number. */
    MRN("H"),
    /** I: health plan beneficiary or member number. */
    HEALTH_PLAN("I"),
    /** J: account number. */
    ACCOUNT("J"),
    /** K: certificate or licence number, including driver's licence and passport. */
    LICENSE("K"),
    /** L: vehicle identifier or plate. */
    VEHICLE("L"),
    /** M: device identifier or serial number. */
    DEVICE_ID("M"),
    /** N: web address. */
    URL("N"),
    /** O: IP address. */
    IP_ADDRESS("O"),
    /** P: biometric identifier. */
    BIOMETRIC("P"),
    /** Q: photograph or comparable image, and any other binary content. */
    PHOTO("Q"),
    /** R: any other unique identifying number or code. */
    OTHER_ID("R"),
    /**
     * R: a record key assigned by the source system (a row id, a FHIR resource id or reference);
     * pseudonymised so that joins survive.
     */
    RECORD_KEY("R"),
    /** Free text, which may hold any identifier: dropped unless scrubbing is on. */
    FREE_TEXT("*"),
    /** A FHIR extension whose meaning no rule gives. */
    EXTENSION("*"),
    /** A coded value, status or label from a code system: not an identifier. */
    CODE(""),
    /** A measurement, amount or count: not an identifier. */
    MEASURE(""),
    /** Sex, gender, race, ethnicity, marital status, language: not identifiers by themselves. */
    DEMOGRAPHIC(""),
    /** Nothing could place the field: handled by the unknown-field policy. */
    UNKNOWN("?");

    private final String safeHarborId;

    Category(String safeHarborId) {
        this.safeHarborId = safeHarborId;
    }

    /**
     * Returns the Safe Harbor identifier letter (A to R), {@code *} for content that may hold
     * any identifier, {@code ?} for unknown, or empty for categories that are not identifiers.
     *
     * @return the letter or marker
     */
    public String safeHarborId() {
        return safeHarborId;
    }

    /**
     * Parses a category name, ignoring case and accepting {@code -} for {@code _}.
     *
     * @param name for example {@code BIRTH_DATE} or {@code birth-date}
     * @return the category, when the name is one
     */
    public static Optional<Category> parse(String name) {
        String upper = name.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (Category category : values()) {
            if (category.name().equals(upper)) {
                return Optional.of(category);
            }
        }
        return Optional.empty();
    }
}
