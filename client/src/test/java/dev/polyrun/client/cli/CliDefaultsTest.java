package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where the CLI takes its address, key and defaults from: flags, environment, config file, local
 * cluster.
 */
class CliDefaultsTest {
  @TempDir Path cwd;

  private PolyrunCli cli(Map<String, String> env, LocalClusterInfo cluster, String... args) {
    Io io =
        new Io(
            new ByteArrayInputStream(new byte[0]),
            new ByteArrayOutputStream(),
            new ByteArrayOutputStream(),
            env,
            cwd,
            false,
            cluster);
    CommandLine commandLine = PolyrunCli.commandLine(io);
    commandLine.parseArgs(args);
    return commandLine.getCommand();
  }

  private static LocalClusterInfo local(String addr, String key) {
    return new LocalClusterInfo(Optional.of(addr), Optional.of(key));
  }

  @Test
  void theFlagWinsOverTheEnvironmentWhichWinsOverTheConfigFile() throws IOException {
    Files.writeString(cwd.resolve("c.conf"), "addr = file:1\napi-key = file-key\n");
    Map<String, String> env = Map.of("POLYRUN_ADDR", "env:1", "POLYRUN_API_KEY", "env-key");

    PolyrunCli flags =
        cli(
            env,
            LocalClusterInfo.none(),
            "--config",
            "c.conf",
            "--addr",
            "flag:1",
            "--api-key",
            "flag-key");
    PolyrunCli environment = cli(env, LocalClusterInfo.none(), "--config", "c.conf");
    PolyrunCli file = cli(Map.of(), LocalClusterInfo.none(), "--config", "c.conf");

    assertThat(flags.address()).isEqualTo("flag:1");
    assertThat(flags.apiKey()).isEqualTo("flag-key");
    assertThat(environment.address()).isEqualTo("env:1");
    assertThat(environment.apiKey()).isEqualTo("env-key");
    assertThat(file.address()).isEqualTo("file:1");
    assertThat(file.apiKey()).isEqualTo("file-key");
  }

  @Test
  void theDefaultConfigFileIsReadFromTheHomeDirectoryWhenItExists() throws IOException {
    Files.createDirectories(cwd.resolve(".config/polyrun"));
    Files.writeString(cwd.resolve(".config/polyrun/config"), "addr = home:1\n");

    assertThat(cli(Map.of("HOME", cwd.toString()), LocalClusterInfo.none()).address())
        .isEqualTo("home:1");
    assertThat(
            cli(Map.of("HOME", cwd.resolve("nowhere").toString()), LocalClusterInfo.none())
                .address())
        .isEqualTo(PolyrunCli.DEFAULT_ADDR);
  }

  @Test
  void anUnknownConfigKeyIsAUsageErrorNamingIt() throws IOException {
    Files.writeString(cwd.resolve("c.conf"), "adress = x:1\n");

    assertThatThrownBy(() -> cli(Map.of(), LocalClusterInfo.none(), "--config", "c.conf").address())
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown key 'adress' (expected: one of [");
  }

  @Test
  void theLocalClusterGivesItsAddressAndItsKeyForThatAddressOnly() {
    LocalClusterInfo cluster = local("127.0.0.1:50051", "local-key");

    PolyrunCli bare = cli(Map.of(), cluster);
    PolyrunCli elsewhere = cli(Map.of("POLYRUN_ADDR", "prod:443"), cluster);

    assertThat(bare.address()).isEqualTo("127.0.0.1:50051");
    assertThat(bare.apiKey()).isEqualTo("local-key");
    assertThat(elsewhere.apiKey()).isNull();
  }

  @Test
  void theLocalClusterIsReadFromItsDirectory() throws IOException {
    Files.writeString(cwd.resolve("addr"), "127.0.0.1:5\n");
    Files.writeString(cwd.resolve("api-key"), "k\n");

    LocalClusterInfo info = LocalClusterInfo.in(cwd);

    assertThat(info.address()).hasValue("127.0.0.1:5");
    assertThat(info.apiKeyFor("127.0.0.1:5")).hasValue("k");
    assertThat(LocalClusterInfo.in(cwd.resolve("missing")).address()).isEmpty();
  }
}
