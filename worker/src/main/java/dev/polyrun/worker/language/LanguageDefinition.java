package dev.polyrun.worker.language;

import com.google.gson.annotations.SerializedName;
import dev.polyrun.config.StageLimits;
import java.util.List;
import java.util.Map;

/**
 * One version of a language, as {@code images/build} resolves {@code images/<name>/language.json}
 * into the image it builds: how a program in it is compiled and run. Commands are argument lists
 * run in {@code /work} without a shell, with these placeholders: {@code {source}} (the entry file)
 * and {@code {stem}} (the entry file without its extension), which may sit inside an argument;
 * {@code {sources}} (every source file of the language, the entry last) and {@code {options}} (the
 * request's compile options), which stand alone and become zero or more arguments.
 *
 * @param name name used in requests
 * @param displayName human name
 * @param packages Debian packages of the image
 * @param sourceFile default source file name
 * @param extensions file extensions of the language's source files (the CLI maps files by them)
 * @param compile compile command, or null for an interpreted language
 * @param run run command; the request's arguments are appended
 * @param versionProbe command that prints the version (run when the image is built)
 * @param env the program's environment besides HOME and LANG
 * @param limits default limits of the compile and run stages
 * @param versionName the selector of this version in requests, e.g. {@code "3.13"}; null in images
 *     of the single-version layout
 * @param suite the Debian suite the image is built from, e.g. {@code "trixie"}
 * @param isDefault whether an empty version selects this one
 * @param libraries libraries installed with it, with their versions, e.g. {@code "numpy 2.2.4"}
 */
public record LanguageDefinition(
    String name,
    String displayName,
    List<String> packages,
    String sourceFile,
    List<String> extensions,
    List<String> compile,
    List<String> run,
    List<String> versionProbe,
    Map<String, String> env,
    DefaultLimits limits,
    String versionName,
    String suite,
    @SerializedName("default") boolean isDefault,
    List<String> libraries) {

  /** Whether the language has a compile stage. */
  public boolean compiled() {
    return compile != null && !compile.isEmpty();
  }

  /** The extensions of the language's source files, never null. */
  public List<String> sourceExtensions() {
    return extensions == null ? List.of() : extensions;
  }

  /** The libraries installed with this version, never null. */
  public List<String> libraryList() {
    return libraries == null ? List.of() : libraries;
  }

  /**
   * A language's default limits per stage, read with {@link dev.polyrun.sandbox.StageLimitsJson}.
   *
   * @param compile the compile stage's; null for an interpreted language
   * @param run the run stage's (and each test case's run)
   */
  public record DefaultLimits(StageLimits compile, StageLimits run) {}
}
