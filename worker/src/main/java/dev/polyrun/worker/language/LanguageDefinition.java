package dev.polyrun.worker.language;

import java.util.List;
import java.util.Map;

/**
 * A language as declared in {@code images/<name>/language.json}: how its image is built and how a
 * program in it is compiled and run. Commands are argument lists run in {@code /work} without a
 * shell; {@code {source}} stands for the entry file and {@code {options}} for the request's
 * compile options.
 *
 * @param name name used in requests
 * @param displayName human name
 * @param packages Debian packages of the image
 * @param sourceFile default source file name
 * @param extensions file extensions the CLI maps to this language
 * @param compile compile command, or null for an interpreted language
 * @param run run command; the request's arguments are appended
 * @param versionProbe command that prints the version (run when the image is built)
 * @param env the program's environment besides HOME and LANG
 * @param limits default limits of the compile and run stages
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
    Limits limits) {

  /** Whether the language has a compile stage. */
  public boolean compiled() {
    return compile != null && !compile.isEmpty();
  }

  /** Default limits per stage. */
  public record Limits(StageDefaults compile, StageDefaults run) {}

  /**
   * Default limits of one stage, in the units of the contract.
   *
   * @param cpuTimeMs cpu time, milliseconds
   * @param wallTimeMs wall time, milliseconds
   * @param memoryBytes memory including swap, bytes
   * @param maxProcesses processes and threads
   * @param outputBytes stdout plus stderr, bytes
   * @param fileSizeBytes largest file, bytes
   */
  public record StageDefaults(
      long cpuTimeMs,
      long wallTimeMs,
      long memoryBytes,
      int maxProcesses,
      long outputBytes,
      long fileSizeBytes) {}
}
