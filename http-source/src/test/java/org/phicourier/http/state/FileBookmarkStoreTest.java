package org.phicourier.http.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phicourier.ConfigurationException;

class FileBookmarkStoreTest {
    private static final Bookmark FIRST = Bookmark.of(
            OffsetDateTime.parse("2024-08-06T18:12:57.123+02:00"),
            Instant.parse("2024-08-06T16:13:00Z"));

    @TempDir
    Path dir;

    @Test
    void load_afterSave_returnsTheBookmarkWithItsOffset() {
        FileBookmarkStore store = FileBookmarkStore.at(dir.resolve("state/bookmarks.json"));

        store.save("fhir-bulk:system:0123", FIRST);

        assertThat(FileBookmarkStore.at(dir.resolve("state/bookmarks.json"))
                .load("fhir-bulk:system:0123")).hasValue(FIRST);
        assertThat(FIRST.serverTimeText()).isEqualTo("2024-08-06T18:12:57.123+02:00");
    }

    @Test
    void save_secondName_keepsTheFirst() {
        FileBookmarkStore store = FileBookmarkStore.at(dir.resolve("bookmarks.json"));
        Bookmark second = Bookmark.of(OffsetDateTime.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:01Z"));

        store.save("a", FIRST);
        store.save("b", second);
        store.save("a", second);

        assertThat(store.load("a")).hasValue(second);
        assertThat(store.load("b")).hasValue(second);
        assertThat(store.load("c")).isEmpty();
    }

    @Test
    void save_replacesTheFileWithoutLeavingTemporaryFiles() throws Exception {
        FileBookmarkStore store = FileBookmarkStore.at(dir.resolve("bookmarks.json"));

        for (int i = 0; i < 5; i++) {
            store.save("n" + i, FIRST);
        }

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("bookmarks.json", "bookmarks.json.lock");
        }
        assertThat(Files.readString(dir.resolve("bookmarks.json")))
                .contains("\"format\" : \"phi-courier-bookmarks/1\"")
                .contains("\"serverTime\" : \"2024-08-06T18:12:57.123+02:00\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"format\":\"other\"}",
        "{\"format\":\"phi-courier-bookmarks/1\",\"bookmarks\":{\"a\":{\"serverTime\":1}}}"})
    void load_malformedFile_failsNamingTheFileNotItsContent(String content) throws Exception {
        Path file = Files.writeString(dir.resolve("bookmarks.json"), content);

        assertThatThrownBy(() -> FileBookmarkStore.at(file).load("a"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("not json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "name with space", "Zebulon Smith", "a?b"})
    void save_nameNotAllowed_isRefused(String name) {
        FileBookmarkStore store = FileBookmarkStore.at(dir.resolve("bookmarks.json"));

        assertThatThrownBy(() -> store.save(name, FIRST))
                .isInstanceOf(ConfigurationException.class);
    }
}
