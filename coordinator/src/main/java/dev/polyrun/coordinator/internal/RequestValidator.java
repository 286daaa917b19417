package dev.polyrun.coordinator.internal;

import dev.polyrun.config.LimitsRule;
import dev.polyrun.config.StageLimits;
import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.LimitsProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an {@link SubmitRequest} against the advertised languages and the server's limits, and
 * makes its limits explicit. Pure: no I/O. Every problem is reported, each naming the field, the
 * bad value and what is allowed.
 */
final class RequestValidator {
  private static final Pattern PATH_PART = Pattern.compile("[A-Za-z0-9_.+-]{1,100}");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private final ServerLimits max;
  private final TestCaseValidator testCases;

  RequestValidator(ServerLimits max) {
    this.max = max;
    this.testCases = new TestCaseValidator(max);
  }

  /**
   * The request to store: the same, with every stage limit explicit (requested, else the language's
   * default; lowered to {@code maxima} where clamping applies).
   *
   * @param maxima the stage maxima of the caller (the server's, lowered by its tenant's)
   * @throws InvalidRequestException listing every violation
   */
  SubmitRequest validate(SubmitRequest r, List<Language> languages, StageLimits maxima) {
    List<Violation> v = new ArrayList<>();
    Optional<Language> language = checkLanguage(r, languages, v);
    checkFiles(r, v);
    if (r.getStdin().size() > max.maxStdinBytes()) {
      v.add(
          new Violation(
              "stdin", r.getStdin().size() + " bytes (expected: <= " + max.maxStdinBytes() + ")"));
    }
    checkArguments("args", r.getArgsList(), v);
    checkArguments("compile_options", r.getCompileOptionsList(), v);
    checkIdempotencyKey(r.getIdempotencyKey(), v);
    testCases.check(r, v);
    LanguageVersion version =
        language
            .flatMap(l -> LanguageVersions.find(l, r.getVersion()))
            .orElse(LanguageVersion.getDefaultInstance());
    boolean clamp = r.getClampLimits();
    SubmitRequest resolved =
        r.toBuilder()
            .setCompileLimits(
                limits(
                    "compile_limits",
                    r.getCompileLimits(),
                    version.getDefaultCompileLimits(),
                    maxima,
                    clamp,
                    v))
            .setRunLimits(
                limits(
                    "run_limits",
                    r.getRunLimits(),
                    version.getDefaultRunLimits(),
                    maxima,
                    clamp,
                    v))
            .build();
    if (!v.isEmpty()) {
      throw new InvalidRequestException(v);
    }
    return resolved;
  }

  /**
   * A stage's explicit limits by the one rule ({@link LimitsRule}); a requested value it refuses is
   * a violation of {@code field}'s limit, one above its maximum with its own reason.
   */
  private static Limits limits(
      String field,
      Limits requested,
      Limits defaults,
      StageLimits maxima,
      boolean clamp,
      List<Violation> v) {
    LimitsRule.Resolution resolution =
        LimitsRule.resolve(
            limit -> LimitsProto.get(requested, limit),
            LimitsProto.fromProto(defaults),
            maxima,
            clamp);
    for (LimitsRule.Refusal refusal : resolution.refusals()) {
      v.add(
          new Violation(
              field + "." + refusal.limit().field(),
              refusal.message(),
              refusal.aboveMaximum() ? Reason.LIMIT_ABOVE_MAXIMUM : Reason.INVALID_REQUEST));
    }
    return LimitsProto.toProto(resolution.limits());
  }

  private static Optional<Language> checkLanguage(
      SubmitRequest r, List<Language> languages, List<Violation> v) {
    List<String> names = languages.stream().map(Language::getName).toList();
    Optional<Language> lang =
        languages.stream().filter(l -> l.getName().equals(r.getLanguage())).findFirst();
    if (r.getLanguage().isEmpty()) {
      v.add(new Violation("language", "missing (expected: one of " + names + ")"));
    } else if (lang.isEmpty()) {
      v.add(
          new Violation(
              "language",
              "'" + r.getLanguage() + "' (expected: one of " + names + ")",
              Reason.UNKNOWN_LANGUAGE));
    } else if (!r.getVersion().isEmpty()
        && LanguageVersions.find(lang.get(), r.getVersion()).isEmpty()) {
      v.add(
          new Violation(
              "version",
              "'"
                  + r.getVersion()
                  + "' (expected: one of "
                  + String.join(", ", LanguageVersions.names(lang.get()))
                  + ", or empty for the default)",
              Reason.UNKNOWN_VERSION));
    }
    return lang;
  }

  private void checkFiles(SubmitRequest r, List<Violation> v) {
    if (r.getFilesCount() == 0) {
      v.add(new Violation("files", "no source file (expected: at least one)"));
      return;
    }
    if (r.getFilesCount() > max.maxFiles()) {
      v.add(
          new Violation(
              "files", r.getFilesCount() + " files (expected: <= " + max.maxFiles() + ")"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < r.getFilesCount(); i++) {
      String path = r.getFiles(i).getPath();
      if (path.isEmpty() && r.getFilesCount() == 1) {
        continue;
      }
      String field = "files[" + i + "].path";
      if (!validPath(path)) {
        v.add(
            new Violation(
                field,
                "'"
                    + path
                    + "' (expected: a relative path of [A-Za-z0-9_.+-] parts, no '..', no leading '/')"));
      } else if (!seen.add(path)) {
        v.add(new Violation(field, "'" + path + "' appears twice (expected: unique paths)"));
      }
    }
    checkDirectories(r, seen, v);
    checkSourceBytes(r, v);
    String entry = r.getEntryFile();
    if (!entry.isEmpty() && r.getFilesList().stream().noneMatch(f -> f.getPath().equals(entry))) {
      v.add(
          new Violation("entry_file", "'" + entry + "' (expected: the path of one of the files)"));
    }
  }

  /** A path cannot be a file and a directory at once: {@code a} and {@code a/b.py}. */
  private static void checkDirectories(SubmitRequest r, Set<String> paths, List<Violation> v) {
    for (int i = 0; i < r.getFilesCount(); i++) {
      String path = r.getFiles(i).getPath();
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String parent = path.substring(0, slash);
        if (paths.contains(parent)) {
          v.add(
              new Violation(
                  "files[" + i + "].path",
                  "'"
                      + path
                      + "' is under '"
                      + parent
                      + "', which is a file (expected: a path whose directories are not files)"));
          break;
        }
      }
    }
  }

  private void checkSourceBytes(SubmitRequest r, List<Violation> v) {
    long total = 0;
    SourceFile largest = r.getFiles(0);
    for (SourceFile f : r.getFilesList()) {
      total += f.getContent().size();
      if (f.getContent().size() > largest.getContent().size()) {
        largest = f;
      }
    }
    if (total > max.maxSourceBytes()) {
      String name = largest.getPath().isEmpty() ? "the file" : "'" + largest.getPath() + "'";
      v.add(
          new Violation(
              "files",
              total
                  + " bytes in all (expected: <= "
                  + max.maxSourceBytes()
                  + "); the largest is "
                  + name
                  + " with "
                  + largest.getContent().size()
                  + " bytes"));
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

  /** Program arguments and compile options: passed as an argument list, so only NUL is unsafe. */
  private void checkArguments(String field, List<String> args, List<Violation> v) {
    if (args.size() > max.maxArgs()) {
      v.add(new Violation(field, args.size() + " arguments (expected: <= " + max.maxArgs() + ")"));
    }
    long bytes = 0;
    for (int i = 0; i < args.size(); i++) {
      bytes += args.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (args.get(i).indexOf('\0') >= 0) {
        v.add(
            new Violation(
                field + "[" + i + "]", "contains a NUL character (expected: text without NUL)"));
      }
    }
    if (bytes > max.maxArgBytes()) {
      v.add(new Violation(field, bytes + " bytes in all (expected: <= " + max.maxArgBytes() + ")"));
    }
  }

  private static void checkIdempotencyKey(String key, List<Violation> v) {
    if (!key.isEmpty() && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      String shown =
          key.length() > 40
              ? key.substring(0, 40) + "...' (" + key.length() + " characters"
              : key + "'";
      v.add(
          new Violation(
              "idempotency_key",
              "'"
                  + shown
                  + " (expected: 1-128 printable ASCII characters without spaces, or empty)"));
    }
  }
}
