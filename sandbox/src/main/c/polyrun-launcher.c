/*
 * polyrun-launcher: runs one program in a fresh sandbox under a declared policy, without an OCI
 * runtime. The Java side (LauncherStage) writes the policy of one stage into a file; this program
 * applies it and nothing else: it decides no policy of its own.
 *
 *   polyrun-launcher <stage file> <report file>
 *
 * The stage file is a sequence of records, each a keyword, a count n and n fields, every one of
 * them a NUL-terminated string (so arguments may hold any byte but NUL). The report is a few
 * "key value" lines written when the program ended (see write_report).
 *
 * Order, as runc does it: clone into new user, pid, mount, ipc, uts and network namespaces; the
 * parent writes the uid/gid maps and moves the child into the stage's cgroups; the child joins a
 * new cgroup namespace there, mounts the image read-only with its tmpfs, /proc, a minimal /dev
 * and the work directory, pivots into it, masks paths, sets host name, rlimits and OOM score,
 * drops to the unprivileged uid with no capabilities, sets no_new_privs, loads the seccomp filter
 * and execs. The program is the child itself (pid 1 of its namespace): the parent reads its
 * figures with wait4, and the cpu the child spent before exec is reported apart, so the program's
 * own time can be told from the sandbox's.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ITEMS 1024

struct rec {
  const char *key;
  int n;
  char **v;
};

static struct rec recs[4096];
static int nrecs;
static int status_fd = -1; /* child -> parent: errors and the pre-exec figures */

/* Reports a failure of the sandbox (not of the program) and ends the process. */
static void die(const char *what, const char *arg) {
  char msg[1024];
  int n = snprintf(msg, sizeof msg, "E %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
  if (status_fd >= 0) {
    if (write(status_fd, msg, n) < 0) { /* nothing more to do */ }
  } else {
    fputs(msg + 2, stderr);
  }
  _exit(126);
}

static void fail(const char *what, const char *arg) {
  errno = EINVAL;
  die(what, arg);
}

static int64_t now_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void parse(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open stage file", path);
  struct stat st;
  if (fstat(fd, &st) < 0) die("stat stage file", path);
  char *buf = malloc(st.st_size + 1);
  ssize_t got = 0;
  while (got < st.st_size) {
    ssize_t r = read(fd, buf + got, st.st_size - got);
    if (r <= 0) die("read stage file", path);
    got += r;
  }
  buf[got] = 0;
  close(fd);
  char *p = buf, *end = buf + got;
  while (p < end) {
    if (nrecs == (int)(sizeof recs / sizeof recs[0])) fail("too many records in", path);
    struct rec *r = &recs[nrecs++];
    r->key = p;
    p += strlen(p) + 1;
    if (p >= end) fail("truncated record in", path);
    r->n = atoi(p);
    p += strlen(p) + 1;
    if (r->n < 0 || r->n > MAX_ITEMS) fail("bad field count in", path);
    r->v = calloc(r->n + 1, sizeof(char *));
    for (int i = 0; i < r->n; i++) {
      if (p >= end) fail("truncated record in", path);
      r->v[i] = p;
      p += strlen(p) + 1;
    }
  }
}

static struct rec *find(const char *key) {
  for (int i = 0; i < nrecs; i++)
    if (strcmp(recs[i].key, key) == 0) return &recs[i];
  return NULL;
}

static const char *value(const char *key) {
  struct rec *r = find(key);
  return r && r->n > 0 ? r->v[0] : NULL;
}

static void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die("open", path);
  if (write(fd, text, strlen(text)) < 0) die("write", path);
  close(fd);
}

/* ---- mounts ---- */

struct flag {
  const char *name;
  unsigned long set;
  unsigned long clear;
};

static const struct flag FLAGS[] = {
    {"ro", MS_RDONLY, 0},        {"rw", 0, MS_RDONLY},         {"nosuid", MS_NOSUID, 0},
    {"nodev", MS_NODEV, 0},      {"noexec", MS_NOEXEC, 0},     {"bind", MS_BIND, 0},
    {"rbind", MS_BIND | MS_REC, 0}, {"strictatime", MS_STRICTATIME, 0}, {"relatime", MS_RELATIME, 0},
    {"noatime", MS_NOATIME, 0},
};

/* Splits "a,b,size=1" into mount flags and the data string the file system reads. */
static unsigned long mount_flags(const char *options, char *data, size_t size) {
  unsigned long flags = 0;
  char *copy = strdup(options), *save = NULL;
  data[0] = 0;
  for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
    int known = 0;
    for (size_t i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++) {
      if (strcmp(o, FLAGS[i].name) == 0) {
        flags = (flags | FLAGS[i].set) & ~FLAGS[i].clear;
        known = 1;
      }
    }
    if (!known) {
      if (data[0]) strncat(data, ",", size - strlen(data) - 1);
      strncat(data, o, size - strlen(data) - 1);
    }
  }
  free(copy);
  return flags;
}

/* Flags a remount in a user namespace must keep: the kernel locks those of the original mount. */
static unsigned long locked_flags(const char *path) {
  struct statvfs s;
  if (statvfs(path, &s) < 0) die("statvfs", path);
  unsigned long f = 0;
  if (s.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (s.f_flag & ST_NODEV) f |= MS_NODEV;
  if (s.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (s.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (s.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (s.f_flag & ST_RELATIME) f |= MS_RELATIME;
  if (s.f_flag & ST_RDONLY) f |= MS_RDONLY;
  return f;
}

static void remount_bind(const char *path, unsigned long flags) {
  if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | locked_flags(path) | flags, NULL) < 0) die("remount", path);
}

/* Mount points below /dev (a fresh tmpfs) are made; elsewhere the image must have them. */

static void ensure_target(const char *path, int dir) {
  struct stat st;
  if (stat(path, &st) == 0) return;
  if (strncmp(path, "./dev/", 6) != 0) die("mount point missing in the image", path + 1);
  if (dir) {
    if (mkdir(path, 0755) < 0) die("mkdir", path);
  } else {
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) die("create", path);
    close(fd);
  }
}

/*
 * Bind sources, opened by the child in its new mount namespace while it still holds the host
 * root's uid (before it takes the namespace's root, an unprivileged host uid): it may then reach a
 * work directory below a 0700 state directory owned by root. Indexed like the mount records.
 */
static int source_fds[4096];

static void open_bind_sources(void) {
  char data[4096];
  for (int i = 0; i < nrecs; i++) {
    source_fds[i] = -1;
    if (strcmp(recs[i].key, "mount") == 0 && recs[i].n == 4 && (mount_flags(recs[i].v[3], data, sizeof data) & MS_BIND)) {
      source_fds[i] = open(recs[i].v[2], O_PATH | O_CLOEXEC);
      if (source_fds[i] < 0) die("bind source", recs[i].v[2]);
    }
  }
}

/* Mounts one record; paths are relative to the working directory, the new root. */
static void mount_one(const char *root, char **m, int source_fd) {
  /* fields: destination, type, source, options */
  char dest[PATH_MAX], data[4096];
  snprintf(dest, sizeof dest, "%s%s", root, m[0]);
  unsigned long flags = mount_flags(m[3], data, sizeof data);
  if (flags & MS_BIND) {
    struct stat st;
    char source[64];
    snprintf(source, sizeof source, "/proc/self/fd/%d", source_fd);
    if (fstat(source_fd, &st) < 0) die("bind source", m[2]);
    ensure_target(dest, S_ISDIR(st.st_mode));
    if (mount(source, dest, NULL, MS_BIND | (flags & MS_REC), NULL) < 0) die("bind", dest);
    unsigned long extra = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (extra) remount_bind(dest, extra);
    return;
  }
  ensure_target(dest, 1);
  if (mount(m[2], dest, m[1], flags, data[0] ? data : NULL) < 0) {
    /* A sysfs of a network namespace the user namespace does not own: bind the host's, read-only. */
    if (strcmp(m[1], "sysfs") == 0) {
      if (mount("/sys", dest, NULL, MS_BIND | MS_REC, NULL) < 0) die("bind /sys", dest);
      remount_bind(dest, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
      return;
    }
    die("mount", dest);
  }
}

/* The devices every container has, bound from the host (a user namespace cannot mknod). */
static void make_devices(const char *root) {
  static const char *devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
  char path[PATH_MAX], host[64];
  for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
    snprintf(path, sizeof path, "%s/dev/%s", root, devices[i]);
    snprintf(host, sizeof host, "/dev/%s", devices[i]);
    ensure_target(path, 0);
    if (mount(host, path, NULL, MS_BIND, NULL) < 0) die("bind device", host);
  }
  static const char *links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
      {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"}};
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    snprintf(path, sizeof path, "%s/dev/%s", root, links[i][1]);
    if (symlink(links[i][0], path) < 0 && errno != EEXIST) die("symlink", path);
  }
}

static void mask_paths(void) {
  for (int i = 0; i < nrecs; i++) {
    if (strcmp(recs[i].key, "masked") == 0) {
      for (int j = 0; j < recs[i].n; j++) {
        const char *p = recs[i].v[j];
        struct stat st;
        if (stat(p, &st) < 0) continue;
        int r = S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL)
                                    : mount("/dev/null", p, NULL, MS_BIND, NULL);
        if (r < 0) die("mask", p);
      }
    } else if (strcmp(recs[i].key, "readonly") == 0) {
      for (int j = 0; j < recs[i].n; j++) {
        const char *p = recs[i].v[j];
        struct stat st;
        if (stat(p, &st) < 0) continue;
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) die("bind read-only path", p);
        remount_bind(p, MS_RDONLY);
      }
    }
  }
}

static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die("socket", "lo");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("SIOCGIFFLAGS", "lo");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("SIOCSIFFLAGS", "lo");
  close(s);
}

/*
 * Binds the image onto itself and enters it while the child still holds the host root's uid, so
 * no parent directory of the image need be open to the unprivileged host uid it takes next.
 */
static void enter_root(const char *rootfs) {
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die("make mounts private", "/");
  if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) die("bind root", rootfs);
  if (chdir(rootfs) < 0) die("chdir", rootfs);
}

/* Mounts the stage's file systems into the working directory (the new root) and pivots into it. */
static void build_root(const char *rootfs) {
  rootfs = ".";
  int devices = 0;
  for (int i = 0; i < nrecs; i++) {
    if (strcmp(recs[i].key, "mount") != 0) continue;
    if (recs[i].n != 4) fail("mount record needs 4 fields:", recs[i].v[0]);
    mount_one(rootfs, recs[i].v, source_fds[i]);
    if (strcmp(recs[i].v[0], "/dev") == 0) {
      make_devices(rootfs);
      devices = 1;
    }
  }
  if (!devices) fail("no /dev mount in the stage file", NULL);
  if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root", value("rootfs"));
  if (umount2(".", MNT_DETACH) < 0) die("detach the old root", NULL);
  if (chdir("/") < 0) die("chdir", "/");
  mask_paths();
  const char *ro = value("rootReadOnly");
  if (ro && strcmp(ro, "1") == 0) remount_bind("/", MS_RDONLY);
}

/* ---- process ---- */

static const struct {
  const char *name;
  int resource;
} RLIMITS[] = {
    {"RLIMIT_CORE", RLIMIT_CORE}, {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_NICE", RLIMIT_NICE}, {"RLIMIT_STACK", RLIMIT_STACK}, {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE}, {"RLIMIT_CPU", RLIMIT_CPU}, {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_DATA", RLIMIT_DATA},
};

static void set_rlimits(void) {
  for (int i = 0; i < nrecs; i++) {
    if (strcmp(recs[i].key, "rlimit") != 0) continue;
    if (recs[i].n != 3) fail("rlimit record needs 3 fields:", recs[i].v[0]);
    int found = 0;
    for (size_t j = 0; j < sizeof RLIMITS / sizeof RLIMITS[0]; j++) {
      if (strcmp(RLIMITS[j].name, recs[i].v[0]) == 0) {
        struct rlimit l = {strtoull(recs[i].v[2], NULL, 10), strtoull(recs[i].v[1], NULL, 10)};
        if (setrlimit(RLIMITS[j].resource, &l) < 0) die("setrlimit", recs[i].v[0]);
        found = 1;
      }
    }
    if (!found) fail("unknown rlimit", recs[i].v[0]);
  }
}

static void drop_privileges(int last_cap) {
  uid_t uid = atoi(value("uid"));
  gid_t gid = atoi(value("gid"));
  for (int cap = 0; cap <= last_cap; cap++) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) die("drop bounding capability", NULL);
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (setgroups(0, NULL) < 0) die("setgroups", NULL);
  if (setresgid(gid, gid, gid) < 0) die("setresgid", value("gid"));
  if (setresuid(uid, uid, uid) < 0) die("setresuid", value("uid"));
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  if (syscall(SYS_capset, &h, d) < 0) die("capset", NULL);
  const char *nnp = value("noNewPrivileges");
  if (nnp && strcmp(nnp, "1") == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs", NULL);
}

/* ---- seccomp ---- */

static int max_named_syscall;

static void note_syscall(int nr) {
  if (nr > max_named_syscall) max_named_syscall = nr;
}

/*
 * The allow list through libseccomp. Fields of "seccomp": default errno, architecture. Rule
 * records: "allow" names...; "errno" errno names...; "allowIf" name then index,mask,value
 * triples; each compares the masked low 32 bits of an argument, as the Java side declares.
 */
static scmp_filter_ctx build_filter(void) {
  struct rec *s = find("seccomp");
  if (!s || s->n != 2) fail("seccomp record missing", NULL);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(atoi(s->v[0])));
  if (!ctx) fail("seccomp_init", NULL);
  /* OCI's "SCMP_ARCH_X86_64" is libseccomp's "x86_64" */
  char arch_name[64];
  const char *given = strncmp(s->v[1], "SCMP_ARCH_", 10) == 0 ? s->v[1] + 10 : s->v[1];
  size_t k = 0;
  for (; given[k] && k < sizeof arch_name - 1; k++) arch_name[k] = (char)tolower((unsigned char)given[k]);
  arch_name[k] = 0;
  uint32_t arch = seccomp_arch_resolve_name(arch_name);
  if (arch == 0) fail("seccomp architecture", s->v[1]);
  if (arch != seccomp_arch_native()) fail("seccomp architecture is not the host's:", s->v[1]);
  seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_THREAD);
  /* no_new_privs is the policy's to set (drop_privileges), not the library's. */
  seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  for (int i = 0; i < nrecs; i++) {
    struct rec *r = &recs[i];
    if (strcmp(r->key, "allow") == 0 || strcmp(r->key, "errno") == 0) {
      int errno_rule = r->key[0] == 'e';
      uint32_t action = errno_rule ? SCMP_ACT_ERRNO(atoi(r->v[0])) : SCMP_ACT_ALLOW;
      for (int j = errno_rule; j < r->n; j++) {
        int nr = seccomp_syscall_resolve_name(r->v[j]);
        if (nr == __NR_SCMP_ERROR) continue; /* unknown to this libseccomp: skipped, as runc does */
        note_syscall(nr);
        /* A refusal with the default errno needs no rule (libseccomp refuses one): named only for the ENOSYS bound. */
        if (errno_rule && action == SCMP_ACT_ERRNO(atoi(s->v[0]))) continue;
        if (seccomp_rule_add(ctx, action, nr, 0) < 0) fail("seccomp rule", r->v[j]);
      }
    } else if (strcmp(r->key, "allowIf") == 0) {
      int nr = seccomp_syscall_resolve_name(r->v[0]);
      if (nr == __NR_SCMP_ERROR) continue;
      note_syscall(nr);
      int nargs = (r->n - 1) / 3;
      struct scmp_arg_cmp cmp[6];
      if (nargs > 6 || (r->n - 1) % 3 != 0) fail("allowIf record", r->v[0]);
      for (int a = 0; a < nargs; a++) {
        cmp[a] = (struct scmp_arg_cmp){(unsigned)atoi(r->v[1 + a * 3]), SCMP_CMP_MASKED_EQ,
            strtoull(r->v[2 + a * 3], NULL, 0), strtoull(r->v[3 + a * 3], NULL, 0)};
      }
      if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, nargs, cmp) < 0) fail("seccomp rule", r->v[0]);
    }
  }
  return ctx;
}

/*
 * A second filter, evaluated first since it is installed last: calls numbered above every call
 * the policy names answer ENOSYS (not the default EPERM), so C libraries fall back from calls
 * newer than the list, as under runc. The kernel keeps the result of the highest precedence;
 * between two errnos the last installed filter's wins; a kill of the first filter (another
 * architecture, x32) wins over this errno.
 */
static void enosys_filter(uint32_t audit_arch) {
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, audit_arch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max_named_syscall, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) die("seccomp (ENOSYS filter)", NULL);
}

/* ---- exec ---- */

static char **list(const char *key) {
  struct rec *r = find(key);
  if (!r) {
    static char *empty[] = {NULL};
    return empty;
  }
  return r->v;
}

/* The program's path: as given when it has a slash, else found on the stage's PATH. */
static const char *resolve(const char *file, char **env, char *buf, size_t size) {
  if (strchr(file, '/')) return file;
  const char *path = "/usr/local/bin:/usr/bin:/bin";
  for (char **e = env; *e; e++)
    if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  char *copy = strdup(path), *save = NULL;
  for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
    snprintf(buf, size, "%s/%s", dir, file);
    if (access(buf, X_OK) == 0) return buf;
  }
  return file;
}

static int want_cgroupns, want_netns;

static int child(void *arg) {
  int *sync = arg;
  char b;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (read(sync[0], &b, 1) != 1) _exit(125); /* the parent died or failed: nothing to report */
  close(sync[0]);
  open_bind_sources();
  enter_root(value("rootfs"));
  if (setresgid(0, 0, 0) < 0) die("setresgid", "0");
  if (setresuid(0, 0, 0) < 0) die("setresuid", "0");
  if (want_cgroupns && unshare(CLONE_NEWCGROUP) < 0) die("unshare", "cgroup namespace");
  int last_cap = CAP_LAST_CAP;
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
  if (f) {
    if (fscanf(f, "%d", &last_cap) != 1) last_cap = CAP_LAST_CAP;
    fclose(f);
  }
  if (want_netns) loopback_up();
  build_root(value("rootfs"));
  const char *hostname = value("hostname");
  if (hostname && sethostname(hostname, strlen(hostname)) < 0) die("sethostname", hostname);
  set_rlimits();
  const char *cwd = value("cwd");
  if (chdir(cwd ? cwd : "/") < 0) die("chdir", cwd);
  char **argv = list("argv"), **env = list("env");
  if (!argv[0]) fail("no argv", NULL);
  char exe[PATH_MAX];
  const char *path = resolve(argv[0], env, exe, sizeof exe);
  drop_privileges(last_cap);
  /* A change of credentials clears the parent-death signal: set it again, so the stage dies with its launcher. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  scmp_filter_ctx ctx = build_filter();
  if (seccomp_load(ctx) < 0) fail("seccomp_load", NULL);
  enosys_filter(seccomp_arch_native());
  /* Descriptors the program must not inherit: all but its stdio and the status pipe (cloexec). */
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  char ready[64];
  int n = snprintf(ready, sizeof ready, "R %lld %lld\n", (long long)now_ns(CLOCK_PROCESS_CPUTIME_ID),
      (long long)now_ns(CLOCK_REALTIME));
  if (write(status_fd, ready, n) < 0) _exit(126);
  execve(path, argv, env);
  die("exec", argv[0]);
  return 0;
}

static int ns_flags(void) {
  static const struct {
    const char *name;
    int flag;
  } NS[] = {{"user", CLONE_NEWUSER}, {"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS}, {"ipc", CLONE_NEWIPC},
      {"uts", CLONE_NEWUTS}, {"network", CLONE_NEWNET}, {"cgroup", 0}};
  struct rec *r = find("namespaces");
  int flags = 0;
  for (int i = 0; r && i < r->n; i++) {
    int known = 0;
    for (size_t j = 0; j < sizeof NS / sizeof NS[0]; j++) {
      if (strcmp(r->v[i], NS[j].name) == 0) {
        flags |= NS[j].flag;
        if (strcmp(NS[j].name, "cgroup") == 0) want_cgroupns = 1;
        known = 1;
      }
    }
    if (!known) fail("namespace", r->v[i]);
  }
  want_netns = (flags & CLONE_NEWNET) != 0;
  return flags;
}

/*
 * Waits until the child ends or the wall limit (from its exec) passes, then kills it: pid 1 of its
 * namespace, so every process of the stage goes with it. Returns whether the limit stopped it;
 * the caller reaps it.
 */
static int wait_within(pid_t pid, long long limit_ns) {
  if (limit_ns <= 0) return 0;
  int fd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return 0; /* no pidfd: the worker's own watch stops it */
  int64_t deadline = now_ns(CLOCK_MONOTONIC) + limit_ns;
  for (;;) {
    int64_t left = deadline - now_ns(CLOCK_MONOTONIC);
    if (left <= 0) {
      kill(pid, SIGKILL);
      close(fd);
      return 1;
    }
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, (int)((left + 999999) / 1000000));
    if (r > 0) {
      close(fd);
      return 0;
    }
    if (r < 0 && errno != EINTR) {
      close(fd);
      return 0;
    }
  }
}

/* The host id an id of the namespace maps to, by the first line of a map that holds it; -1 if none. */
static long host_id(const char *map, long id) {
  long inside, outside, count;
  const char *line = map;
  while (line && *line) {
    if (sscanf(line, "%ld %ld %ld", &inside, &outside, &count) == 3 && id >= inside && id < inside + count) {
      return outside + (id - inside);
    }
    line = strchr(line, '\n');
    if (line) line++;
  }
  return -1;
}

/*
 * The program's standard streams are the worker's pipes, owned by the host's root with mode 0600:
 * the program may write to them as inherited, but could not reopen them (/dev/stdout,
 * /proc/self/fd/1) as its unprivileged uid. They are handed to it, as runc does.
 */
static void give_stdio(void) {
  const char *uid = value("uid"), *gid = value("gid");
  long host_uid = value("uid_map") ? host_id(value("uid_map"), atol(uid)) : atol(uid);
  long host_gid = value("gid_map") ? host_id(value("gid_map"), atol(gid)) : atol(gid);
  if (host_uid < 0 || host_gid < 0) return;
  for (int fd = 0; fd <= 2; fd++) {
    struct stat st;
    if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
      if (fchown(fd, (uid_t)host_uid, (gid_t)host_gid) < 0) { /* the program keeps what it inherited */ }
    }
  }
}

static void write_map(pid_t pid, const char *which) {
  const char *map = value(which);
  if (!map) return;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, which);
  write_file(path, map);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    const struct scmp_version *v = seccomp_version();
    printf("polyrun-launcher 1 (libseccomp %u.%u.%u)\n", v->major, v->minor, v->micro);
    return 0;
  }
  if (argc != 3) {
    fprintf(stderr, "usage: polyrun-launcher <stage file> <report file>\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  parse(argv[1]);
  int flags = ns_flags();
  if (!(flags & CLONE_NEWNS)) fail("the mount namespace is required", NULL);
  int sync[2], status[2];
  if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0) die("pipe", NULL);
  status_fd = status[1];
  size_t stack_size = 1 << 20;
  char *stack = malloc(stack_size);
  int64_t launched = now_ns(CLOCK_MONOTONIC);
  pid_t pid = clone(child, stack + stack_size, flags | SIGCHLD, sync);
  if (pid < 0) {
    status_fd = -1;
    die("clone", NULL);
  }
  close(sync[0]);
  close(status[1]);
  status_fd = -1;
  FILE *report = fopen(argv[2], "we");
  if (!report) {
    kill(pid, SIGKILL);
    die("open report", argv[2]);
  }
  /* The maps and the cgroups, then the child may go on. A failure here kills it. */
  struct rec *procs = find("cgroupProcs");
  char pidtext[32];
  snprintf(pidtext, sizeof pidtext, "%d", pid);
  int ok = 1;
  if (flags & CLONE_NEWUSER) {
    if (value("uid_map")) write_map(pid, "uid_map");
    if (value("gid_map")) write_map(pid, "gid_map");
  }
  give_stdio();
  const char *oom = value("oomScoreAdj");
  if (oom) {
    /* From here: the child's own /proc entries are not its to write once it changed its ids. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/oom_score_adj", pid);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, oom, strlen(oom)) < 0) {
      fprintf(report, "error oom_score_adj %s: %s\n", oom, strerror(errno));
      ok = 0;
    }
    if (fd >= 0) close(fd);
  }
  for (int i = 0; procs && i < procs->n; i++) {
    int fd = open(procs->v[i], O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pidtext, strlen(pidtext)) < 0) {
      fprintf(report, "error join cgroup %s: %s\n", procs->v[i], strerror(errno));
      ok = 0;
    }
    if (fd >= 0) close(fd);
  }
  if (!ok) kill(pid, SIGKILL);
  if (write(sync[1], "g", 1) < 0) { /* the child died already; wait4 tells */ }
  close(sync[1]);
  /* Until exec: the child's error, or its pre-exec cpu and ready instant; EOF is the exec. */
  char buf[2048];
  size_t have = 0;
  for (;;) {
    ssize_t r = read(status[0], buf + have, sizeof buf - 1 - have);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    have += r;
    if (have == sizeof buf - 1) break;
  }
  buf[have] = 0;
  int64_t start = now_ns(CLOCK_MONOTONIC), start_real = now_ns(CLOCK_REALTIME);
  long long setup_cpu = -1, ready = 0;
  char *line = buf;
  int failed = 0;
  while (line && *line) {
    char *next = strchr(line, '\n');
    if (next) *next++ = 0;
    if (line[0] == 'R') {
      sscanf(line, "R %lld %lld", &setup_cpu, &ready);
    } else if (line[0] == 'E') {
      fprintf(report, "error %s\n", line + 2);
      failed = 1;
    }
    line = next;
  }
  if (setup_cpu < 0 && !failed) {
    fprintf(report, "error the sandbox ended before the program started\n");
    failed = 1;
  }
  /* What is known at the exec, at once: the worker counts the program's cpu from here. */
  fprintf(report, "launch_ns %lld\n", (long long)(start - launched));
  fprintf(report, "setup_cpu_ns %lld\n", setup_cpu < 0 ? 0 : setup_cpu);
  fprintf(report, "ready_epoch_ns %lld\n", ready);
  fprintf(report, "start_epoch_ns %lld\n", (long long)start_real);
  fflush(report);
  int wstatus;
  struct rusage ru;
  int stopped = failed ? 0 : wait_within(pid, value("wallLimitNs") ? atoll(value("wallLimitNs")) : 0);
  while (wait4(pid, &wstatus, 0, &ru) < 0) {
    if (errno != EINTR) die("wait4", NULL);
  }
  int64_t end = now_ns(CLOCK_MONOTONIC), end_real = now_ns(CLOCK_REALTIME);
  if (stopped) fprintf(report, "stopped wall\n");
  long long cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL
      + (long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
  fprintf(report, "exit_epoch_ns %lld\n", (long long)end_real);
  fprintf(report, "wall_ns %lld\n", (long long)(end - start));
  fprintf(report, "rusage_cpu_ns %lld\n", cpu);
  struct rusage self;
  getrusage(RUSAGE_SELF, &self);
  fprintf(report, "launcher_cpu_ns %lld\n", (long long)(self.ru_utime.tv_sec + self.ru_stime.tv_sec) * 1000000000LL
      + (long long)(self.ru_utime.tv_usec + self.ru_stime.tv_usec) * 1000LL);
  if (WIFSIGNALED(wstatus)) {
    fprintf(report, "signal %d\n", WTERMSIG(wstatus));
  } else {
    fprintf(report, "exit %d\n", WEXITSTATUS(wstatus));
  }
  fclose(report);
  return failed ? 126 : 0;
}
