package dev.polyrun.worker.internal.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Expands a language's command templates into argument lists. */
final class Commands {
  private Commands() {}

  /**
   * Expands the placeholders: {@code {source}} (the entry file) and {@code {stem}} (the entry file
   * without its extension), also inside an argument; {@code {sources}} (the language's source
   * files, the entry last) and {@code {options}} (the compile options), each file or option one
   * argument. Nothing passes through a shell. A path that starts with {@code -} is written {@code
   * ./-...}, so that no tool reads a file name as an option.
   *
   * @param extensions the language's source file extensions, for {@code {sources}}
   */
  static List<String> substitute(
      List<String> template, SourceFiles files, List<String> extensions, List<String> options) {
    String entry = safe(files.entry());
    String stem = safe(files.stem());
    List<String> argv = new ArrayList<>();
    for (String arg : template) {
      switch (arg) {
        case "{options}" -> argv.addAll(options);
        case "{sources}" -> files.sources(extensions).forEach(path -> argv.add(safe(path)));
        default -> argv.add(arg.replace("{source}", entry).replace("{stem}", stem));
      }
    }
    return argv;
  }

  private static String safe(String path) {
    return path.startsWith("-") ? "./" + path : path;
  }

  /**
   * The init that runs the program as its child, so the program is not the pid namespace's init
   * (which ignores signals it has no handler for): tini when the image has it. Should the runtime
   * die (with its worker), tini is killed and the whole pid namespace with it.
   */
  static List<String> init(Path rootfs) {
    return Files.isExecutable(rootfs.resolve("usr/bin/tini"))
        ? List.of("/usr/bin/tini", "-p", "SIGKILL", "--")
        : List.of();
  }
}
