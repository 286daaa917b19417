package dev.polyrun.sandbox;

import dev.polyrun.config.StageLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One program to run in a fresh container.
 *
 * @param name unique container name; starts with the job id so leftovers can be traced and swept
 * @param rootfs the language image's root filesystem, mounted read-only
 * @param workDir the job's work directory, mounted at {@code /work}
 * @param argv the command, run in {@code /work} without a shell
 * @param env the complete environment of the program
 * @param stdin bytes given to the program's standard input
 * @param limits the stage's limits, every one set
 * @param cancelled polled about every 250 ms; the stage is stopped when it returns true
 * @param readOnlyWork whether {@code /work} is mounted read-only (test-case runs, so one case
 *     cannot change what the next one sees)
 * @param languagePolicy the language's change to the policy ({@link
 *     PolicyOverride.Scope#LANGUAGE}); the operator's applies after it
 */
public record StageSpec(
    String name,
    Path rootfs,
    WorkDir workDir,
    List<String> argv,
    Map<String, String> env,
    byte[] stdin,
    StageLimits limits,
    BooleanSupplier cancelled,
    boolean readOnlyWork,
    PolicyOverride languagePolicy) {

  /** A stage whose {@code /work} is writable, under the sandbox's policy unchanged. */
  public StageSpec(
      String name,
      Path rootfs,
      WorkDir workDir,
      List<String> argv,
      Map<String, String> env,
      byte[] stdin,
      StageLimits limits,
      BooleanSupplier cancelled) {
    this(name, rootfs, workDir, argv, env, stdin, limits, cancelled, false, PolicyOverride.none());
  }

  /** A stage under the sandbox's policy unchanged. */
  public StageSpec(
      String name,
      Path rootfs,
      WorkDir workDir,
      List<String> argv,
      Map<String, String> env,
      byte[] stdin,
      StageLimits limits,
      BooleanSupplier cancelled,
      boolean readOnlyWork) {
    this(
        name,
        rootfs,
        workDir,
        argv,
        env,
        stdin,
        limits,
        cancelled,
        readOnlyWork,
        PolicyOverride.none());
  }

  public StageSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv: [] (expected: a command)");
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException(
          "container name: '" + name + "' (expected: [A-Za-z0-9_.-], <= 128)");
    }
    if (languagePolicy == null) {
      languagePolicy = PolicyOverride.none();
    }
    if (!languagePolicy.isEmpty() && languagePolicy.scope() != PolicyOverride.Scope.LANGUAGE) {
      throw new IllegalArgumentException(
          "language policy: "
              + languagePolicy.origin()
              + " has scope "
              + languagePolicy.scope()
              + " (expected: LANGUAGE)");
    }
    // a stage without one of its limits would run unbounded in that respect
    Objects.requireNonNull(limits, "limits").requireComplete("stage " + name + " limits");
  }

  /** This stage under a language's change to the policy. */
  public StageSpec withLanguagePolicy(PolicyOverride policy) {
    return new StageSpec(
        name, rootfs, workDir, argv, env, stdin, limits, cancelled, readOnlyWork, policy);
  }
}
