package dev.polyrun.worker.language;

import dev.polyrun.sandbox.PolicyOverride;
import java.nio.file.Path;

/**
 * A language whose image is built on this host.
 *
 * @param definition the language's definition as built into the image
 * @param version the version probed in the built image
 * @param rootfs the image's root filesystem
 * @param imageId the image's definition hash
 * @param sandboxPolicy the language's change to the sandbox policy (the {@code "sandbox"} object
 *     of its definition), or none
 */
public record InstalledLanguage(
    LanguageDefinition definition, String version, Path rootfs, String imageId, PolicyOverride sandboxPolicy) {}
