package org.phicourier.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinksTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<https://a.example/x?page=2>; rel=\"next\"|https://a.example/x?page=2",
        "<https://a.example/x?p=1>; rel=\"prev\", <https://a.example/x?p=3>; rel=\"next\"|https://a.example/x?p=3",
        "<https://a.example/x?a=1,2>; rel=\"next last\"|https://a.example/x?a=1,2",
        "<https://a.example/x>; title=\"a, b\"; REL=NEXT|https://a.example/x",
        "<https://a.example/x>; rel=\"prev\"|-"})
    void headerNext_linkHeaders_findTheNextTarget(String header, String expected) {
        HttpHeaders headers = HttpHeaders.of(Map.of("Link", List.of(header)), (k, v) -> true);

        assertThat(Links.headerNext(headers).orElse("-")).isEqualTo(expected);
    }
}
