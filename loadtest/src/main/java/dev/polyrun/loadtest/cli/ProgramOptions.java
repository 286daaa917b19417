package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.internal.Samples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which programs a scenario sends: a profile file, or each named language's hello (and the judged
 * program).
 */
public final class ProgramOptions {
  @Option(
      names = "--lang",
      paramLabel = "LANG",
      split = ",",
      description =
          "Send each language's hello sample from images/LANG/ (repeatable or comma-separated).")
  List<String> languages = new ArrayList<>();

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description = "Send the weighted mix of this profile (e.g. loadtest/profiles/mix.json).")
  Path profile;

  @Option(
      names = "--judged",
      description = "Add the judged program (loadtest/programs/sum.py, 10 test cases).")
  boolean judged;

  /** The profile of the options, or of the hello samples of {@code defaults} when none is named. */
  public Profile profile(Samples samples, List<String> defaults) {
    if (profile != null) {
      if (!languages.isEmpty() || judged) {
        throw new IllegalArgumentException(
            "--profile with --lang or --judged (expected: one of them)");
      }
      return Profile.read(profile);
    }
    List<Program> programs = new ArrayList<>();
    for (String lang : languages.isEmpty() && !judged ? defaults : languages) {
      programs.add(samples.hello(lang.strip()));
    }
    if (judged) {
      programs.add(samples.judged());
    }
    return Profile.equal(programs);
  }
}
