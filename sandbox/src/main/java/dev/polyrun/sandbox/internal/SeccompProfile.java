package dev.polyrun.sandbox.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The seccomp profile of every stage: system calls a program never needs and that widen the
 * kernel's attack surface fail with EPERM. Only the native x86_64 and aarch64 ABIs are allowed;
 * 32-bit and x32 calls are refused by the filter's architecture check.
 */
final class SeccompProfile {
  private static final int EPERM = 1;
  private static final int ENOSYS = 38;
  private static final long AF_INET = 2;
  private static final long AF_INET6 = 10;
  private static final long AF_PACKET = 17;
  private static final long AF_VSOCK = 40;
  private static final long SOCK_RAW = 3;
  private static final long SOCK_TYPE_MASK = 0xf;
  /**
   * socket(2)'s arguments are ints: the kernel reads the low 32 bits of each register, while
   * seccomp compares all 64. A rule on such an argument compares the low half only, or
   * {@code socket(40 | 1L << 32, ...)} would pass a rule on 40 and still open AF_VSOCK.
   */
  private static final long INT_MASK = 0xffffffffL;

  /** Namespace flags of clone(2): CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
  private static final List<Long> CLONE_NS_FLAGS =
      List.of(0x00020000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L, 0x20000000L, 0x40000000L, 0x00000080L);

  static final List<String> DENIED =
      List.of(
          "io_uring_setup", "io_uring_enter", "io_uring_register",
          "keyctl", "add_key", "request_key",
          "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
          "mount", "umount", "umount2", "move_mount", "open_tree", "fsopen", "fsmount",
          "fsconfig", "fspick", "mount_setattr", "pivot_root", "chroot",
          "unshare", "setns",
          "bpf", "perf_event_open", "userfaultfd", "fanotify_init",
          "clock_settime", "clock_settime64", "clock_adjtime", "settimeofday", "adjtimex", "stime",
          "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
          "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog", "vhangup",
          "iopl", "ioperm", "uselib", "ustat", "sysfs", "_sysctl", "nfsservctl",
          "lookup_dcookie", "name_to_handle_at", "open_by_handle_at",
          "create_module", "get_kernel_syms", "query_module");

  private SeccompProfile() {}

  static JsonObject build() {
    JsonObject s = new JsonObject();
    s.addProperty("defaultAction", "SCMP_ACT_ALLOW");
    s.add("architectures", OciSpec.strings(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64")));
    JsonArray rules = new JsonArray();
    rules.add(rule(DENIED, EPERM));
    // glibc falls back to clone(2) when clone3 is unavailable; clone3's flags cannot be inspected.
    rules.add(rule(List.of("clone3"), ENOSYS));
    for (long flag : CLONE_NS_FLAGS) {
      rules.add(argRule("clone", 0, flag, flag, "SCMP_CMP_MASKED_EQ"));
    }
    rules.add(argRule("socket", 0, AF_VSOCK, INT_MASK, "SCMP_CMP_MASKED_EQ"));
    rules.add(argRule("socket", 0, AF_PACKET, INT_MASK, "SCMP_CMP_MASKED_EQ"));
    // Raw IP sockets; raw netlink sockets stay allowed (getifaddrs and getaddrinfo use them).
    for (long family : List.of(AF_INET, AF_INET6)) {
      JsonObject raw = argRule("socket", 0, family, INT_MASK, "SCMP_CMP_MASKED_EQ");
      raw.getAsJsonArray("args").add(arg(1, SOCK_RAW, SOCK_TYPE_MASK, "SCMP_CMP_MASKED_EQ"));
      rules.add(raw);
    }
    s.add("syscalls", rules);
    return s;
  }

  private static JsonObject rule(List<String> names, int errno) {
    JsonObject r = new JsonObject();
    r.add("names", OciSpec.strings(names));
    r.addProperty("action", "SCMP_ACT_ERRNO");
    r.addProperty("errnoRet", errno);
    return r;
  }

  private static JsonObject argRule(String name, int index, long value, long mask, String op) {
    JsonObject r = rule(List.of(name), EPERM);
    JsonArray args = new JsonArray();
    args.add(arg(index, value, mask, op));
    r.add("args", args);
    return r;
  }

  /** One argument comparison; the comparisons of one rule must all hold. */
  private static JsonObject arg(int index, long value, long mask, String op) {
    JsonObject arg = new JsonObject();
    arg.addProperty("index", index);
    if (op.equals("SCMP_CMP_MASKED_EQ")) {
      arg.addProperty("value", mask);
      arg.addProperty("valueTwo", value);
    } else {
      arg.addProperty("value", value);
    }
    arg.addProperty("op", op);
    return arg;
  }
}
