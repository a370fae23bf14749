package org.phicourier.deid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * The FHIR R4 datatype of a JSON object, recognised from its key and its shape, which decides
 * the default category of its leaves (type-driven defaults): HumanName, Address, ContactPoint,
 * Identifier (by kind), Attachment, Narrative, Extension, Reference, Annotation, geolocation.
 */
enum FhirType {
    NONE, HUMAN_NAME, ADDRESS, ADDRESS_FOREIGN, CONTACT_PHONE, CONTACT_FAX, CONTACT_EMAIL,
    CONTACT_URL, CONTACT_OTHER, IDENTIFIER_SSN, IDENTIFIER_MRN, IDENTIFIER_LICENSE,
    IDENTIFIER_HEALTH_PLAN,
    IDENTIFIER_ACCOUNT, IDENTIFIER_OTHER, ATTACHMENT_TEXT, ATTACHMENT_BINARY, NARRATIVE,
    EXTENSION, PRIMITIVE_EXTENSION, REFERENCE, ANNOTATION, POSITION;

    private static final Set<String> US = Set.of("US", "USA", "UNITED STATES",
            "UNITED STATES OF AMERICA", "");
    private static final Set<String> REFERENCE_KEYS = Set.of("reference", "display", "type",
            "identifier", "id", "extension");

    /** Recognises the datatype of an object found under a key. */
    static FhirType detect(String key, JsonNode object, FhirType parent) {
        if (key.startsWith("_")) {
            return PRIMITIVE_EXTENSION;
        }
        if (key.equals("extension") || key.equals("modifierExtension")) {
            return EXTENSION;
        }
        if (key.equals("text") && object.has("div")) {
            return NARRATIVE;
        }
        if (key.equals("telecom") || parent == NONE && key.equals("valueContactPoint")) {
            return contactPoint(object.path("system").asText(""));
        }
        if (key.equals("identifier") || key.equals("masterIdentifier")
                || key.equals("valueIdentifier")) {
            return identifier(object);
        }
        return byShape(key, object);
    }

    private static FhirType byShape(String key, JsonNode object) {
        if (key.equals("name") && (object.has("family") || object.has("given")
                || object.has("prefix") || object.has("suffix") || object.has("text"))) {
            return HUMAN_NAME;
        }
        if (key.equals("address") || key.equals("valueAddress") || object.has("line")
                || object.has("postalCode") || object.has("city") || object.has("district")) {
            String country = object.path("country").asText("US").strip().toUpperCase(Locale.ROOT);
            return US.contains(country) ? ADDRESS : ADDRESS_FOREIGN;
        }
        if (key.equals("position") && (object.has("latitude") || object.has("longitude"))) {
            return POSITION;
        }
        if (object.has("contentType") || object.has("data") && !object.has("reference")) {
            return object.path("contentType").asText("").toLowerCase(Locale.ROOT)
                    .startsWith("text/") ? ATTACHMENT_TEXT : ATTACHMENT_BINARY;
        }
        if (key.equals("note") || object.has("text") && (object.has("authorString")
                || object.has("authorReference") || object.has("time"))) {
            return ANNOTATION;
        }
        return isReference(object) ? REFERENCE : NONE;
    }

    private static boolean isReference(JsonNode object) {
        if (!object.has("reference") && !object.has("display")) {
            return false;
        }
        var names = object.fieldNames();
        while (names.hasNext()) {
            if (!REFERENCE_KEYS.contains(names.next())) {
                return false;
            }
        }
        return true;
    }

    private static FhirType contactPoint(String system) {
        switch (system) {
            case "phone":
            case "sms":
            case "pager":
                return CONTACT_PHONE;
            case "fax":
                return CONTACT_FAX;
            case "email":
                return CONTACT_EMAIL;
            case "url":
                return CONTACT_URL;
            default:
                return CONTACT_OTHER;
        }
    }

    private static FhirType identifier(JsonNode object) {
        String system = object.path("system").asText("").toLowerCase(Locale.ROOT);
        String code = "";
        for (JsonNode coding : object.path("type").path("coding")) {
            code = coding.path("code").asText(code);
        }
        if (system.contains("us-ssn") || code.equals("SS") || code.equals("SB")) {
            return IDENTIFIER_SSN;
        }
        if (code.equals("MR") || code.equals("MRT") || system.contains("mrn")) {
            return IDENTIFIER_MRN;
        }
        if (code.equals("DL") || code.equals("PPN") || system.contains("driver")
                || system.contains("passport") || system.contains("licen")) {
            return IDENTIFIER_LICENSE;
        }
        if (code.equals("MB") || code.equals("SN") || code.equals("MA") || code.equals("MC")
                || system.contains("member")) {
            return IDENTIFIER_HEALTH_PLAN;
        }
        return code.equals("AN") || system.contains("account") ? IDENTIFIER_ACCOUNT
                : IDENTIFIER_OTHER;
    }

    /** Returns the category a datatype gives its leaf, or nothing to fall through to paths. */
    Category leafCategory(String key) {
        switch (this) {
            case HUMAN_NAME:
                return key.equals("use") ? Category.CODE
                        : key.equals("start") || key.equals("end") ? null : Category.NAME;
            case ADDRESS:
                return address(key);
            case ADDRESS_FOREIGN:
                return key.equals("postalCode") ? Category.COUNTY : address(key);
            case POSITION:
                return Category.GEOCODE;
            case NARRATIVE:
                return key.equals("status") ? Category.CODE : Category.FREE_TEXT;
            case REFERENCE:
                return key.equals("reference") ? Category.RECORD_KEY
                        : key.equals("display") ? Category.NAME
                        : key.equals("type") ? Category.CODE : null;
            case ANNOTATION:
                return key.equals("text") ? Category.FREE_TEXT
                        : key.equals("authorString") ? Category.NAME
                        : key.equals("time") ? Category.DATE : null;
            case ATTACHMENT_TEXT:
            case ATTACHMENT_BINARY:
                return attachment(key);
            default:
                return contactOrIdentifier(key);
        }
    }

    private static Category address(String key) {
        switch (key) {
            case "line":
            case "text":
                return Category.STREET;
            case "city":
                return Category.CITY;
            case "district":
                return Category.COUNTY;
            case "state":
                return Category.STATE;
            case "postalCode":
                return Category.ZIP;
            case "country":
                return Category.COUNTRY;
            case "use":
            case "type":
                return Category.CODE;
            default:
                return null;
        }
    }

    private Category attachment(String key) {
        switch (key) {
            case "data":
                return this == ATTACHMENT_TEXT ? Category.FREE_TEXT : Category.PHOTO;
            case "url":
                return Category.URL;
            case "title":
                return Category.FREE_TEXT;
            case "hash":
                return Category.OTHER_ID;
            case "creation":
                return Category.DATE;
            case "size":
                return Category.MEASURE;
            case "contentType":
            case "language":
                return Category.CODE;
            default:
                return null;
        }
    }

    private Category contactOrIdentifier(String key) {
        boolean contact = name().startsWith("CONTACT_");
        boolean identifier = name().startsWith("IDENTIFIER_");
        if (!contact && !identifier) {
            return null;
        }
        if (key.equals("value")) {
            return valueCategory();
        }
        return key.equals("system") || key.equals("use") || key.equals("rank") ? Category.CODE
                : null;
    }

    private Category valueCategory() {
        switch (this) {
            case CONTACT_PHONE:
                return Category.PHONE;
            case CONTACT_FAX:
                return Category.FAX;
            case CONTACT_EMAIL:
                return Category.EMAIL;
            case CONTACT_URL:
                return Category.URL;
            case IDENTIFIER_SSN:
                return Category.SSN;
            case IDENTIFIER_MRN:
                return Category.MRN;
            case IDENTIFIER_LICENSE:
                return Category.LICENSE;
            case IDENTIFIER_HEALTH_PLAN:
                return Category.HEALTH_PLAN;
            case IDENTIFIER_ACCOUNT:
                return Category.ACCOUNT;
            default:
                return Category.OTHER_ID;
        }
    }

    /** Tells whether the datatype's leaves inherit it from an enclosing datatype. */
    boolean sticky() {
        return this == EXTENSION || this == PRIMITIVE_EXTENSION || this == NARRATIVE;
    }
}
