package dev.polyrun.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterDescriptionTest {
  @Test
  void theLocalClustersDescriptionIsRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("password"), "s3cret\n");
    Path file = dir.resolve("cluster.json");
    Files.writeString(
        file,
        """
        {"version": 1, "grpcAddress": "127.0.0.1:50051", "apiKeyFile": "%s/api-key", "queueLease": "3s",
         "redis": {"host": "127.0.0.1", "port": 6390, "passwordFile": "%s/password"},
         "processes": [
           {"name": "redis", "role": "redis", "pid": 10, "command": ["redis-server"], "restart": ["r", "redis"]},
           {"name": "coordinator", "role": "coordinator", "pid": 11, "grpcPort": 50051},
           {"name": "worker-1", "role": "worker", "pid": 12, "stateDir": "/s/w1", "runtimeRoot": "/s/w1/runtime"},
           {"name": "worker-2", "role": "worker", "pid": 13, "stateDir": "/s/w2"}]}
        """
            .formatted(dir, dir));

    ClusterDescription c = ClusterDescription.read(file);

    assertThat(c.grpcAddress()).isEqualTo("127.0.0.1:50051");
    assertThat(c.redis().password()).hasValue("s3cret");
    assertThat(c.lease()).hasValue(Duration.ofSeconds(3));
    assertThat(c.workers())
        .extracting(ClusterDescription.ProcessInfo::name)
        .containsExactly("worker-1", "worker-2");
    assertThat(c.process("redis").orElseThrow().restart()).containsExactly("r", "redis");
    assertThat(c.first("coordinator").orElseThrow().pid()).isEqualTo(11);
    assertThat(c.workers().get(0).runtimeRoot()).hasValue(Path.of("/s/w1/runtime"));
  }

  @Test
  void aFileWithoutProcessesSaysWhatWasExpected(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cluster.json");
    Files.writeString(file, "{\"grpcAddress\": \"x\"}");

    assertThatThrownBy(() -> ClusterDescription.read(file))
        .hasMessageContaining("cluster.json")
        .hasMessageContaining("bin/local-cluster");
  }
}
