package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an {@link ExecuteRequest} against the advertised languages and the server's limits.
 * Pure: no I/O. Every problem is reported, each naming the field, the bad value and what is
 * allowed.
 */
final class RequestValidator {
  private static final Pattern PATH_PART = Pattern.compile("[A-Za-z0-9_.+-]{1,100}");
  private final ServerLimits max;

  RequestValidator(ServerLimits max) {
    this.max = max;
  }

  /** A problem with one field. */
  record Violation(String field, String description) {
    @Override
    public String toString() {
      return field + ": " + description;
    }
  }

  /** Thrown with every violation of a request. */
  static final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    InvalidRequestException(List<Violation> violations) {
      super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
      this.violations = List.copyOf(violations);
    }

    List<Violation> violations() {
      return violations;
    }
  }

  /** Features of the contract this server does not provide yet. */
  static Optional<String> unimplemented(ExecuteRequest r) {
    if (r.getTestCasesCount() > 0) {
      return Optional.of("test_cases: judging with test cases is not yet available on this server");
    }
    if (!r.getIdempotencyKey().isEmpty()) {
      return Optional.of("idempotency_key: idempotent submission is not yet available on this server");
    }
    if (r.getClampLimits()) {
      return Optional.of("clamp_limits: clamping limits is not yet available on this server");
    }
    return Optional.empty();
  }

  /** @throws InvalidRequestException listing every violation */
  void validate(ExecuteRequest r, List<Language> languages) {
    List<Violation> v = new ArrayList<>();
    checkLanguage(r, languages, v);
    checkFiles(r, v);
    if (r.getStdin().size() > max.maxStdinBytes()) {
      v.add(new Violation("stdin", r.getStdin().size() + " bytes (expected: <= " + max.maxStdinBytes() + ")"));
    }
    checkLimits("compile_limits", r.getCompileLimits(), v);
    checkLimits("run_limits", r.getRunLimits(), v);
    if (!v.isEmpty()) {
      throw new InvalidRequestException(v);
    }
  }

  private static void checkLanguage(ExecuteRequest r, List<Language> languages, List<Violation> v) {
    List<String> names = languages.stream().map(Language::getName).toList();
    Optional<Language> lang = languages.stream().filter(l -> l.getName().equals(r.getLanguage())).findFirst();
    if (r.getLanguage().isEmpty()) {
      v.add(new Violation("language", "missing (expected: one of " + names + ")"));
    } else if (lang.isEmpty()) {
      v.add(new Violation("language", "'" + r.getLanguage() + "' (expected: one of " + names + ")"));
    } else if (!r.getVersion().isEmpty() && !r.getVersion().equals(lang.get().getVersion())) {
      v.add(new Violation("version", "'" + r.getVersion() + "' (expected: '" + lang.get().getVersion() + "' or empty)"));
    }
  }

  private void checkFiles(ExecuteRequest r, List<Violation> v) {
    if (r.getFilesCount() == 0) {
      v.add(new Violation("files", "no source file (expected: at least one)"));
      return;
    }
    if (r.getFilesCount() > max.maxFiles()) {
      v.add(new Violation("files", r.getFilesCount() + " files (expected: <= " + max.maxFiles() + ")"));
    }
    long total = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < r.getFilesCount(); i++) {
      SourceFile f = r.getFiles(i);
      total += f.getContent().size();
      String path = f.getPath();
      if (path.isEmpty() && r.getFilesCount() == 1) {
        continue;
      }
      String field = "files[" + i + "].path";
      if (!validPath(path)) {
        v.add(new Violation(field, "'" + path + "' (expected: a relative path of [A-Za-z0-9_.+-] parts, no '..', no leading '/')"));
      } else if (!seen.add(path)) {
        v.add(new Violation(field, "'" + path + "' appears twice (expected: unique paths)"));
      }
    }
    if (total > max.maxSourceBytes()) {
      v.add(new Violation("files", total + " bytes in all (expected: <= " + max.maxSourceBytes() + ")"));
    }
    String entry = r.getEntryFile();
    if (!entry.isEmpty() && r.getFilesList().stream().noneMatch(f -> f.getPath().equals(entry))) {
      v.add(new Violation("entry_file", "'" + entry + "' (expected: the path of one of the files)"));
    }
  }

  static boolean validPath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.length() > 255) {
      return false;
    }
    for (String part : path.split("/", -1)) {
      if (!PATH_PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private void checkLimits(String field, Limits l, List<Violation> v) {
    range(field + ".cpu_time_ms", l.getCpuTimeMs(), max.cpuTimeMs(), v);
    range(field + ".wall_time_ms", l.getWallTimeMs(), max.wallTimeMs(), v);
    range(field + ".memory_bytes", l.getMemoryBytes(), max.memoryBytes(), v);
    range(field + ".max_processes", l.getMaxProcesses(), max.maxProcesses(), v);
    range(field + ".output_bytes", l.getOutputBytes(), max.outputBytes(), v);
    range(field + ".file_size_bytes", l.getFileSizeBytes(), max.fileSizeBytes(), v);
  }

  private static void range(String field, long value, long maximum, List<Violation> v) {
    if (value < 0 || value > maximum) {
      v.add(new Violation(field, value + " (expected: 0 for the default, or 1.." + maximum + ")"));
    }
  }
}
