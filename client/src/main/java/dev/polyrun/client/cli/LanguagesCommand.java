package dev.polyrun.client.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code polyrun languages}: what the cluster runs, as a table. */
@Command(
    name = "languages",
    mixinStandardHelpOptions = true,
    description =
        "Lists the languages the cluster runs, one line per version: name, version (the selector"
            + " 'run --lang NAME@VERSION' takes), the version its tools report, source file, extensions, libraries.")
final class LanguagesCommand implements Callable<Integer> {
  private static final String[] HEADER = {
    "NAME", "VERSION", "PROBED", "SOURCE", "EXTENSIONS", "COMPILED", "LIBRARIES"
  };

  @ParentCommand private PolyrunCli cli;

  @Override
  public Integer call() {
    Io io = cli.io();
    List<Language> languages;
    try (PolyrunClient client = cli.connect()) {
      languages = client.languages();
    }
    if (cli.json()) {
      io.outText.println(JsonOutput.languages(languages));
      return ExitCodes.OK;
    }
    io.outText.print(table(languages));
    io.outText.flush();
    if (languages.isEmpty()) {
      io.error("polyrun: the service lists no languages (no worker has registered yet?)");
    }
    return ExitCodes.OK;
  }

  /**
   * The languages sorted by name, in aligned columns under a header; one line per version, the
   * default first and marked. A language listed without versions (by an older worker) has one line.
   */
  static String table(List<Language> languages) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    languages.stream()
        .sorted(Comparator.comparing(Language::getName))
        .forEach(
            l -> {
              if (l.getVersionsCount() == 0) {
                rows.add(row(l, "-", l.getVersion(), l.getLibrariesList()));
              }
              for (LanguageVersion v : l.getVersionsList()) {
                rows.add(
                    row(
                        l,
                        v.getName() + (v.getIsDefault() ? " (default)" : ""),
                        v.getVersion(),
                        v.getLibrariesList()));
              }
            });
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static String[] row(Language l, String selector, String probed, List<String> libraries) {
    return new String[] {
      l.getName(),
      selector,
      probed.isBlank() ? "-" : probed.strip().replaceAll("\\s+", " "),
      l.getSourceFile(),
      l.getExtensionsCount() == 0 ? "-" : String.join(" ", l.getExtensionsList()),
      l.getCompiled() ? "yes" : "no",
      String.join(", ", libraries)
    };
  }
}
