package dev.polyrun.worker.language;

import dev.polyrun.sandbox.PolicyOverride;
import java.nio.file.Path;

/**
 * One version of a language whose image is built on this host.
 *
 * @param definition the version's definition as built into the image
 * @param version the version probed in the built image, e.g. {@code "3.13.5"}
 * @param rootfs the image's root filesystem
 * @param imageId the image's definition hash
 * @param sandboxPolicy the language's change to the sandbox policy (the {@code "sandbox"} object of
 *     its definition), or none
 */
public record InstalledLanguage(
    LanguageDefinition definition,
    String version,
    Path rootfs,
    String imageId,
    PolicyOverride sandboxPolicy) {

  /** The language's name, e.g. {@code "python"}. */
  public String name() {
    return definition.name();
  }

  /**
   * The selector of this version in requests, e.g. {@code "3.13"}; for an image of the
   * single-version layout, which names none, the probed version.
   */
  public String versionName() {
    String selector = definition.versionName();
    return selector == null || selector.isEmpty() ? version : selector;
  }

  /**
   * Whether an empty version selector selects this version: its definition says so, or it is an
   * image of the single-version layout (the only version there is).
   */
  public boolean isDefault() {
    return definition.isDefault()
        || definition.versionName() == null
        || definition.versionName().isEmpty();
  }
}
