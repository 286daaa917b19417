package dev.polyrun.worker.internal.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Expands a language's command templates into argument lists. */
final class Commands {
  private Commands() {}

  /**
   * Replaces {@code {source}} by the entry file and {@code {options}} by the options, each option
   * one argument: nothing passes through a shell.
   */
  static List<String> substitute(List<String> template, String entry, List<String> options) {
    List<String> argv = new ArrayList<>();
    for (String arg : template) {
      if (arg.equals("{options}")) {
        argv.addAll(options);
      } else {
        argv.add(arg.replace("{source}", entry));
      }
    }
    return argv;
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
