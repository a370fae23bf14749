package org.phicourier.deid;

import java.util.EnumSet;
import java.util.Set;

/** Which categories of structured PHI are collected to find the same PHI in free text. */
final class Terms {
    private static final Set<Category> COLLECTED = EnumSet.of(Category.NAME, Category.STREET,
            Category.CITY, Category.COUNTY, Category.ZIP, Category.PHONE, Category.FAX,
            Category.EMAIL, Category.SSN, Category.MRN, Category.HEALTH_PLAN, Category.ACCOUNT,
            Category.LICENSE, Category.OTHER_ID, Category.BIRTH_DATE, Category.VEHICLE,
            Category.DEVICE_ID);

    private Terms() {
    }

    static boolean collects(Category category) {
        return COLLECTED.contains(category);
    }

    /**
     * Tells whether a JSON leaf's datatype describes a person's own PHI (their names, address,
     * contacts, identifiers, birth date), not a display of something referenced (a clinician,
     * an organisation, a medication), which would scrub ordinary words from notes.
     */
    static boolean aboutThePerson(FhirType type) {
        switch (type) {
            case REFERENCE:
            case ANNOTATION:
            case NARRATIVE:
            case EXTENSION:
            case PRIMITIVE_EXTENSION:
            case ATTACHMENT_TEXT:
            case ATTACHMENT_BINARY:
                return false;
            default:
                return true;
        }
    }
}
