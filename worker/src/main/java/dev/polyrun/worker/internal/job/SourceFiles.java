package dev.polyrun.worker.internal.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The files a job wrote into its work directory and which of them is the entry file, as the
 * placeholders of a language's commands see them.
 *
 * @param entry the entry file's path relative to the work directory
 * @param paths every file's path, in the request's order
 */
record SourceFiles(String entry, List<String> paths) {
  SourceFiles {
    paths = List.copyOf(paths);
  }

  /** The entry file's path without its extension, e.g. {@code src/prog} for {@code src/prog.ts}. */
  String stem() {
    int slash = entry.lastIndexOf('/');
    int dot = entry.lastIndexOf('.');
    return dot > slash + 1 ? entry.substring(0, dot) : entry;
  }

  /**
   * The files with one of {@code extensions}, in the request's order with the entry file last
   * (libraries before the program that uses them, as OCaml and Fortran compilers want). The entry
   * file is always there, whatever its extension.
   */
  List<String> sources(List<String> extensions) {
    List<String> sources = new ArrayList<>();
    for (String path : paths) {
      if (!path.equals(entry) && extensions.stream().anyMatch(path::endsWith)) {
        sources.add(path);
      }
    }
    sources.add(entry);
    return sources;
  }
}
