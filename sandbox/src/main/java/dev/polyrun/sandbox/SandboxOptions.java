package dev.polyrun.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Host-side settings of the sandbox. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: state directory {@code /var/lib/polyrun/worker}, runtime {@code runc}, host id
 * range starting at 100000 (65536 ids), one cpu per stage, 512 open files, 64 MiB private /tmp.
 */
public final class SandboxOptions {
  private final Path stateDirectory;
  private final String runtime;
  private final int hostIdBase;
  private final int cpuMillicores;
  private final int openFiles;
  private final long tmpBytes;

  private SandboxOptions(Builder b) {
    this.stateDirectory = b.stateDirectory;
    this.runtime = b.runtime;
    this.hostIdBase = b.hostIdBase;
    this.cpuMillicores = b.cpuMillicores;
    this.openFiles = b.openFiles;
    this.tmpBytes = b.tmpBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where bundles, work directory mounts and the runtime's state live. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** The OCI runtime binary: runc (default), or a compatible one such as runsc. */
  public String runtime() {
    return runtime;
  }

  /** First host uid and gid of the containers' user namespace; container root maps to it. */
  public int hostIdBase() {
    return hostIdBase;
  }

  /** Cpu bandwidth of one stage, 1000 per core. */
  public int cpuMillicores() {
    return cpuMillicores;
  }

  /** RLIMIT_NOFILE of sandboxed programs. */
  public int openFiles() {
    return openFiles;
  }

  /** Size of each container's private /tmp and /dev/shm, bytes. */
  public long tmpBytes() {
    return tmpBytes;
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private Path stateDirectory = Path.of("/var/lib/polyrun/worker");
    private String runtime = "runc";
    private int hostIdBase = 100_000;
    private int cpuMillicores = 1000;
    private int openFiles = 512;
    private long tmpBytes = 64L << 20;

    private Builder() {}

    public Builder stateDirectory(Path dir) {
      this.stateDirectory = Objects.requireNonNull(dir, "stateDirectory").toAbsolutePath();
      return this;
    }

    public Builder runtime(String runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      return this;
    }

    public Builder hostIdBase(int base) {
      if (base < 1000) {
        throw new IllegalArgumentException("host id base: " + base + " (expected: >= 1000)");
      }
      this.hostIdBase = base;
      return this;
    }

    public Builder cpuMillicores(int millicores) {
      if (millicores < 10) {
        throw new IllegalArgumentException("cpu millicores: " + millicores + " (expected: >= 10)");
      }
      this.cpuMillicores = millicores;
      return this;
    }

    public Builder openFiles(int openFiles) {
      if (openFiles < 16) {
        throw new IllegalArgumentException("open files: " + openFiles + " (expected: >= 16)");
      }
      this.openFiles = openFiles;
      return this;
    }

    public Builder tmpBytes(long bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException("tmp bytes: " + bytes + " (expected: >= 1048576)");
      }
      this.tmpBytes = bytes;
      return this;
    }

    public SandboxOptions build() {
      return new SandboxOptions(this);
    }
  }
}
