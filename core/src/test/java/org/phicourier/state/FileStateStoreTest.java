package org.phicourier.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phicourier.StateConflictException;

class FileStateStoreTest {
    @TempDir
    Path dir;

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void read_noFile_isEmpty() {
        assertThat(FileStateStore.of(dir.resolve("state.json")).read()).isEmpty();
    }

    @Test
    void write_expectedVersion_replacesTheDocumentAndLeavesNoTemporaryFile() throws Exception {
        FileStateStore store = FileStateStore.of(dir.resolve("state.json"));
        String first = store.write(text("one"), Optional.empty());

        String second = store.write(text("two"), Optional.of(first));

        assertThat(store.read().orElseThrow().version()).isEqualTo(second).isNotEqualTo(first);
        assertThat(Files.readString(dir.resolve("state.json"))).isEqualTo("two");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("state.json", "state.json.lock");
        }
    }

    @Test
    void write_staleVersion_isAConflictAndChangesNothing() {
        FileStateStore store = FileStateStore.of(dir.resolve("state.json"));
        String first = store.write(text("one"), Optional.empty());
        store.write(text("two"), Optional.of(first));

        assertThatThrownBy(() -> store.write(text("three"), Optional.of(first)))
                .isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> store.write(text("three"), Optional.empty()))
                .isInstanceOf(StateConflictException.class);
        assertThat(new String(store.read().orElseThrow().document(), StandardCharsets.UTF_8))
                .isEqualTo("two");
    }

    @Test
    void write_newFile_isReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("state.json");
        FileStateStore.of(file).write(text("{}"), Optional.empty());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void toString_namesTheFileOnly() {
        assertThat(FileStateStore.of(dir.resolve("s.json")).toString())
                .startsWith("FileStateStore[").endsWith("s.json]");
        assertThat(StoredState.of(text("secret document"), "v1").toString())
                .isEqualTo("StoredState[15 bytes, version v1]");
    }
}
