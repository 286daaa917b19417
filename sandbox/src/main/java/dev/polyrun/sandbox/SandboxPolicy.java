package dev.polyrun.sandbox;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The isolation of every stage, declared once as data: namespaces, the process's identity and
 * rlimits, mounts and their sizes, masked and read-only paths, cgroup settings, host id ranges and
 * the seccomp allow list. Immutable and validated; the defaults are the text file {@code
 * dev/polyrun/sandbox/policy.json} of this module, described field by field in the module's README.
 * A language and the operator change it with {@link PolicyOverride}s (JSON merge patches), applied
 * by {@link #with}.
 *
 * <p>Limits that differ per stage (cpu and wall time, memory, processes, output, file size) are not
 * policy: they come with each stage in {@link dev.polyrun.config.StageLimits}. RLIMIT_NPROC,
 * RLIMIT_FSIZE and RLIMIT_CPU follow them.
 */
public final class SandboxPolicy {
  private static final String DEFAULTS_RESOURCE = "policy.json";
  private static volatile SandboxPolicy defaults;

  private final JsonObject document;
  private final List<String> namespaces;
  private final Process process;
  private final Rlimits rlimits;
  private final Filesystem filesystem;
  private final Cgroup cgroup;
  private final Ids ids;
  private final Seccomp seccomp;

  SandboxPolicy(
      JsonObject document,
      List<String> namespaces,
      Process process,
      Rlimits rlimits,
      Filesystem filesystem,
      Cgroup cgroup,
      Ids ids,
      Seccomp seccomp) {
    this.document = document.deepCopy();
    this.namespaces = List.copyOf(namespaces);
    this.process = process;
    this.rlimits = rlimits;
    this.filesystem = filesystem;
    this.cgroup = cgroup;
    this.ids = ids;
    this.seccomp = seccomp;
  }

  /** The secure defaults: {@code policy.json} of this module. */
  public static SandboxPolicy defaults() {
    SandboxPolicy d = defaults;
    if (d == null) {
      try (InputStream in = SandboxPolicy.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
        }
        d =
            PolicyParser.parse(
                new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS_RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      defaults = d;
    }
    return d;
  }

  /**
   * This policy with the override applied as a JSON merge patch (RFC 7386: objects merge, any other
   * value replaces, {@code null} removes).
   *
   * @throws IllegalArgumentException when the result is not a valid policy, naming the override
   */
  public SandboxPolicy with(PolicyOverride override) {
    if (override.isEmpty()) {
      return this;
    }
    JsonObject merged = JsonMerge.apply(document, override.patch());
    return PolicyParser.parse(merged, override.origin());
  }

  /** The policy as JSON, e.g. to log or print what applies. */
  public String toJson() {
    return new GsonBuilder().setPrettyPrinting().create().toJson(document);
  }

  JsonObject document() {
    return document.deepCopy();
  }

  /** Namespaces each stage gets new: some of user, pid, mount, ipc, uts, network, cgroup. */
  public List<String> namespaces() {
    return namespaces;
  }

  public Process process() {
    return process;
  }

  public Rlimits rlimits() {
    return rlimits;
  }

  public Filesystem filesystem() {
    return filesystem;
  }

  public Cgroup cgroup() {
    return cgroup;
  }

  public Ids ids() {
    return ids;
  }

  public Seccomp seccomp() {
    return seccomp;
  }

  /**
   * Who the program runs as.
   *
   * @param uid uid inside the container (mapped into the slot's host range)
   * @param gid gid inside the container
   * @param hostname the container's host name
   * @param noNewPrivileges whether setuid files and file capabilities are ignored
   * @param capabilities the capabilities the program holds (in every set); empty by default
   * @param oomScoreAdj the program's OOM score adjustment (1000: the first the kernel kills)
   */
  public record Process(
      int uid,
      int gid,
      String hostname,
      boolean noNewPrivileges,
      List<String> capabilities,
      int oomScoreAdj) {
    public Process {
      capabilities = List.copyOf(capabilities);
    }
  }

  /**
   * Resource limits set on every stage's program, soft and hard alike. Bytes where a size.
   *
   * @param core core dump size (0: none)
   * @param nofile open file descriptors
   * @param sigpending queued signals
   * @param memlock locked memory, bytes
   * @param msgqueue POSIX message queue bytes
   * @param rtprio real-time priority ceiling (0: none)
   * @param nice nice ceiling as the rlimit encodes it (0: may only lower its priority)
   * @param stack main thread stack, bytes
   */
  public record Rlimits(
      long core,
      long nofile,
      long sigpending,
      long memlock,
      long msgqueue,
      long rtprio,
      long nice,
      long stack) {}

  /**
   * A tmpfs mount's size.
   *
   * @param sizeBytes bytes
   * @param inodes files and directories
   */
  public record Tmpfs(long sizeBytes, long inodes) {}

  /**
   * The container's file system.
   *
   * @param rootReadOnly whether the image is mounted read-only
   * @param work the job's work directory {@code /work} (tmpfs), which holds its sources and
   *     whatever it writes there for all its stages
   * @param tmp the private {@code /tmp}
   * @param devShm the private {@code /dev/shm}
   * @param devPtsMax pseudo-terminals the container's own devpts allows; 0: no {@code /dev/pts}
   * @param mqueue whether {@code /dev/mqueue} is mounted
   * @param maskedPaths paths hidden from the program ({@code {cpu}} expands to each cpu's number)
   * @param readonlyPaths paths mounted read-only
   */
  public record Filesystem(
      boolean rootReadOnly,
      Tmpfs work,
      Tmpfs tmp,
      Tmpfs devShm,
      int devPtsMax,
      boolean mqueue,
      List<String> maskedPaths,
      List<String> readonlyPaths) {
    public Filesystem {
      maskedPaths = List.copyOf(maskedPaths);
      readonlyPaths = List.copyOf(readonlyPaths);
    }
  }

  /**
   * Cgroup settings of every stage besides its memory and process limits.
   *
   * @param cpuMillicores cpu bandwidth, 1000 per core
   * @param limitSwap whether the memory limit includes swap (required where the host swaps)
   * @param limitTcpMemory whether TCP buffer memory is limited with the stage's memory limit
   *     (cgroup v1; cgroup v2 always charges it to the memory limit)
   */
  public record Cgroup(int cpuMillicores, boolean limitSwap, boolean limitTcpMemory) {}

  /**
   * Host uids and gids the containers map to: each slot of each worker gets its own range, so
   * per-user kernel counters are never shared between jobs that run at once.
   *
   * @param base first host id of the first range
   * @param rangeSize ids per range (container ids 0 to rangeSize - 1)
   * @param search whether a worker whose ranges at {@code base} are taken takes the next free ones
   *     (true), or refuses to start (false)
   */
  public record Ids(int base, int rangeSize, boolean search) {}

  /**
   * The seccomp filter: an allow list. Calls not allowed fail with {@code defaultErrno}; calls
   * newer than every call the list names fail with ENOSYS (the runtime's rule), so C libraries fall
   * back to older calls. Architecture: the host's native one only.
   *
   * @param defaultErrno errno of a refused call
   * @param allowed calls allowed whatever their arguments
   * @param allowedIf calls allowed only with the listed argument values
   * @param errno calls refused with a specific errno
   * @param refused calls refused with {@code defaultErrno}, listed for the reader (and so that the
   *     ENOSYS rule never covers them)
   */
  public record Seccomp(
      String defaultErrno,
      List<String> allowed,
      List<Rule> allowedIf,
      List<ErrnoRule> errno,
      List<String> refused) {
    public Seccomp {
      allowed = List.copyOf(allowed);
      allowedIf = List.copyOf(allowedIf);
      errno = List.copyOf(errno);
      refused = List.copyOf(refused);
    }
  }

  /**
   * Calls allowed when every comparison holds.
   *
   * @param names the calls
   * @param args comparisons, at most one per argument
   * @param comment why
   */
  public record Rule(List<String> names, List<ArgMatch> args, String comment) {
    public Rule {
      names = List.copyOf(names);
      args = List.copyOf(args);
    }
  }

  /**
   * {@code (argument & mask) == value} on the low 32 bits of an argument. Every argument the policy
   * filters is a C int, of which the kernel reads only the low half: comparing all 64 bits would
   * let a value with the upper half set slip past a rule.
   *
   * @param index argument index, 0 to 5
   * @param mask bits compared, within 0xffffffff
   * @param value expected value of those bits
   */
  public record ArgMatch(int index, long mask, long value) {}

  /**
   * Calls refused with a given errno.
   *
   * @param names the calls
   * @param errno e.g. ENOSYS
   * @param comment why
   */
  public record ErrnoRule(List<String> names, String errno, String comment) {
    public ErrnoRule {
      names = List.copyOf(names);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SandboxPolicy p && p.document.equals(document);
  }

  @Override
  public int hashCode() {
    return document.hashCode();
  }

  @Override
  public String toString() {
    return "SandboxPolicy" + document;
  }
}
