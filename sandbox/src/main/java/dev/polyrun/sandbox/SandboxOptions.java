package dev.polyrun.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Host-side settings of a sandbox. Immutable; build with {@link #builder()}. What a stage may do is
 * not here but in the {@link SandboxPolicy}; the operator changes it with {@link #operatorPolicy}.
 *
 * <p>Defaults: state directory {@code /var/lib/polyrun/worker}, runtime {@link #LAUNCHER}, one
 * slot, no operator override, id claims in {@code /run/polyrun/ids}.
 */
public final class SandboxOptions {
  /**
   * The {@link #runtime()} that runs stages with polyrun's own launcher rather than an OCI runtime:
   * the same policy, applied by a small C program in one clone and one exec.
   */
  public static final String LAUNCHER = "polyrun-launcher";

  private final Path stateDirectory;
  private final String runtime;
  private final int slots;
  private final PolicyOverride operatorPolicy;
  private final Path claimsDirectory;
  private final Path launcherPath;

  private SandboxOptions(Builder b) {
    this.launcherPath = b.launcherPath;
    this.stateDirectory = b.stateDirectory;
    this.runtime = b.runtime;
    this.slots = b.slots;
    this.operatorPolicy = b.operatorPolicy;
    this.claimsDirectory = b.claimsDirectory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where bundles, work directory mounts and the runtime's state live. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /**
   * How stages are launched: {@link #LAUNCHER}, polyrun's own launcher (default), or an OCI runtime
   * binary: runc, or a compatible one such as crun or runsc.
   */
  public String runtime() {
    return runtime;
  }

  /** Work directories open at once (one per worker slot): each gets a host id range of its own. */
  public int slots() {
    return slots;
  }

  /** The operator's change to the policy, applied after the language's. */
  public PolicyOverride operatorPolicy() {
    return operatorPolicy;
  }

  /** The launcher binary to run for {@link #LAUNCHER}, or null for the one built into this jar. */
  public Path launcherPath() {
    return launcherPath;
  }

  /** Host-wide directory where workers claim their id ranges (a tmpfs: claims end at reboot). */
  public Path claimsDirectory() {
    return claimsDirectory;
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private Path stateDirectory = Path.of("/var/lib/polyrun/worker");
    private String runtime = LAUNCHER;
    private int slots = 1;
    private PolicyOverride operatorPolicy = PolicyOverride.none();
    private Path claimsDirectory = Path.of("/run/polyrun/ids");
    private Path launcherPath;

    private Builder() {}

    public Builder stateDirectory(Path dir) {
      this.stateDirectory = Objects.requireNonNull(dir, "stateDirectory").toAbsolutePath();
      return this;
    }

    public Builder runtime(String runtime) {
      Objects.requireNonNull(runtime, "runtime");
      if (runtime.isBlank()) {
        throw new IllegalArgumentException(
            "runtime: '' (expected: " + LAUNCHER + ", runc, or another OCI runtime)");
      }
      this.runtime = runtime;
      return this;
    }

    /** A launcher binary other than the built-in one (for {@link #LAUNCHER}). */
    public Builder launcherPath(Path launcher) {
      this.launcherPath = Objects.requireNonNull(launcher, "launcherPath").toAbsolutePath();
      return this;
    }

    public Builder slots(int slots) {
      if (slots < 1 || slots > 4096) {
        throw new IllegalArgumentException("slots: " + slots + " (expected: 1 to 4096)");
      }
      this.slots = slots;
      return this;
    }

    /**
     * Sets the operator's policy override.
     *
     * @throws IllegalArgumentException for a language's override: this one is the operator's
     */
    public Builder operatorPolicy(PolicyOverride override) {
      Objects.requireNonNull(override, "operatorPolicy");
      if (override.scope() != PolicyOverride.Scope.OPERATOR) {
        throw new IllegalArgumentException(
            "operator policy: "
                + override.origin()
                + " has scope "
                + override.scope()
                + " (expected: OPERATOR)");
      }
      this.operatorPolicy = override;
      return this;
    }

    public Builder claimsDirectory(Path dir) {
      this.claimsDirectory = Objects.requireNonNull(dir, "claimsDirectory").toAbsolutePath();
      return this;
    }

    public SandboxOptions build() {
      return new SandboxOptions(this);
    }
  }
}
