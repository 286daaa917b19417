package dev.polyrun.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code polyrun api-key new | hash}: makes API keys and the SHA-256 digests that a coordinator's
 * tenants file stores instead of them. Works offline.
 */
@Command(
    name = "api-key",
    mixinStandardHelpOptions = true,
    description =
        "Makes API keys for a cluster's tenants file, which stores only their SHA-256 digests.",
    subcommands = {ApiKeyCommand.New.class, ApiKeyCommand.Hash.class})
final class ApiKeyCommand implements Callable<Integer> {
  @ParentCommand PolyrunCli cli;

  @Override
  public Integer call() {
    throw new UsageException("missing a subcommand (expected: 'api-key new' or 'api-key hash')");
  }

  /** The lower-case hex SHA-256 of the key's UTF-8 bytes (what {@code sha256sum} prints). */
  static String sha256Hex(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** {@code polyrun api-key new}. */
  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "Prints a new random API key (256 bits, hex) and its SHA-256 digest for the tenants file.")
  static final class New implements Callable<Integer> {
    @ParentCommand ApiKeyCommand parent;

    @Override
    public Integer call() {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String key = "pr_" + HexFormat.of().formatHex(random);
      Io io = parent.cli.io();
      if (parent.cli.json()) {
        io.outText.printf(
            "{%n  \"api_key\": \"%s\",%n  \"sha256\": \"%s\"%n}%n", key, sha256Hex(key));
      } else {
        io.outText.println("api-key " + key);
        io.outText.println("sha256  " + sha256Hex(key));
      }
      return ExitCodes.OK;
    }
  }

  /** {@code polyrun api-key hash}: the key is read from stdin, never from the command line. */
  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description =
          "Reads an API key from stdin (one line) and prints its SHA-256 digest for the tenants file.")
  static final class Hash implements Callable<Integer> {
    @ParentCommand ApiKeyCommand parent;

    @Override
    public Integer call() {
      Io io = parent.cli.io();
      String key;
      try {
        key = new String(io.in.readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UsageException("cannot read the key from standard input: " + e.getMessage());
      }
      if (key.isEmpty()) {
        throw new UsageException(
            "no API key on standard input (expected: the key, e.g. echo KEY | polyrun api-key hash)");
      }
      io.outText.println(
          parent.cli.json() ? "{\"sha256\": \"" + sha256Hex(key) + "\"}" : sha256Hex(key));
      return ExitCodes.OK;
    }
  }
}
