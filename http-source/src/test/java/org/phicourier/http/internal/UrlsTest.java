package org.phicourier.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phicourier.ConfigurationException;
import org.phicourier.SourceException;

class UrlsTest {
    private static final URI BASE = URI.create("https://ehr.example/fhir");

    @ParameterizedTest
    @CsvSource({
        "https://user:pw@ehr.example:8443/fhir/Patient?name=Smith#x, https://ehr.example:8443/fhir/Patient",
        "http://127.0.0.1:5555/a%20b?q=1, http://127.0.0.1:5555/a%20b",
        "https://ehr.example, https://ehr.example"})
    void redact_anyUrl_keepsSchemeHostPortAndPathOnly(String url, String expected) {
        assertThat(Urls.redact(URI.create(url))).isEqualTo(expected);
    }

    @Test
    void checkTransport_plainHttpNotAllowed_isRefusedWithoutQuery() {
        assertThatThrownBy(() -> Urls.checkTransport(URI.create("http://ehr.example/x?ssn=1"),
                false, "URL")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("http://ehr.example/x is plain HTTP")
                .hasMessageNotContaining("ssn");
    }

    @Test
    void checkTransport_otherScheme_isRefused() {
        assertThatThrownBy(() -> Urls.checkTransport(URI.create("ftp://ehr.example/x"), true,
                "URL")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void sameOriginLink_relativeLink_resolvesAgainstThePage() {
        URI page = URI.create("https://ehr.example/fhir/Patient?_count=7");

        assertThat(Urls.sameOriginLink(page, "Patient?page=2", BASE))
                .isEqualTo(URI.create("https://ehr.example/fhir/Patient?page=2"));
    }

    @ParameterizedTest
    @CsvSource({"https://evil.example/fhir/Patient", "http://ehr.example/fhir/Patient",
        "https://ehr.example:8443/fhir/Patient"})
    void sameOriginLink_otherOrigin_isRefused(String link) {
        assertThatThrownBy(() -> Urls.sameOriginLink(URI.create("https://ehr.example/fhir/x"),
                link + "?name=Smith", BASE)).isInstanceOf(SourceException.class)
                .hasMessageContaining("links to other origins are not followed")
                .hasMessageNotContaining("Smith");
    }

    @Test
    void replaceParam_existingParam_isReplacedOthersKept() {
        URI uri = URI.create("https://api.example/v1/items?limit=5&offset=0&q=a%20b");

        assertThat(Urls.replaceParam(uri, "offset", "10")).isEqualTo(
                URI.create("https://api.example/v1/items?limit=5&q=a%20b&offset=10"));
    }

    @Test
    void withQuery_specialCharacters_areEncoded() {
        URI uri = Urls.withQuery(URI.create("https://api.example/x"),
                List.of(Map.entry("_since", "2024-08-06T18:12:57+02:00"),
                        Map.entry("q", "a&b")));

        assertThat(uri.getRawQuery())
                .isEqualTo("_since=2024-08-06T18%3A12%3A57%2B02%3A00&q=a%26b");
    }
}
