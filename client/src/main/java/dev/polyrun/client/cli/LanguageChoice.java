package dev.polyrun.client.cli;

/**
 * The language and version a user asked for with {@code --lang NAME[@VERSION]} and {@code --version
 * VERSION}; either part may be absent (null name: from the file's extension; empty version: the
 * cluster's default).
 *
 * @param name the language's name, or null
 * @param version the version selector, e.g. {@code "3.11"}, or empty
 */
record LanguageChoice(String name, String version) {

  /**
   * Reads the two options.
   *
   * @throws UsageException for an empty name or version, or two different versions
   */
  static LanguageChoice parse(String langOption, String versionOption) {
    String name = langOption;
    String version = "";
    if (langOption != null) {
      int at = langOption.indexOf('@');
      if (at >= 0) {
        name = langOption.substring(0, at);
        version = langOption.substring(at + 1);
        if (version.isEmpty()) {
          throw new UsageException(
              "--lang '"
                  + langOption
                  + "': no version after '@' (expected: NAME or NAME@VERSION,"
                  + " e.g. python@3.11)");
        }
      }
      if (name.isEmpty()) {
        throw new UsageException(
            "--lang '"
                + langOption
                + "': no language name (expected: NAME or NAME@VERSION,"
                + " e.g. python@3.11)");
      }
    }
    if (versionOption != null) {
      if (versionOption.isEmpty()) {
        throw new UsageException(
            "--version '': empty (expected: a version as listed by 'polyrun languages', e.g. 3.11)");
      }
      if (!version.isEmpty() && !version.equals(versionOption)) {
        throw new UsageException(
            "--lang "
                + langOption
                + " and --version "
                + versionOption
                + " name different versions (expected: one of them, or the same)");
      }
      version = versionOption;
    }
    return new LanguageChoice(name, version);
  }
}
