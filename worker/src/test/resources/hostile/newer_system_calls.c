/*
 * Calls system call numbers the sandbox's allow list does not name, with harmless arguments,
 * and prints "<kind> <number> <result> <errno>" for each:
 *   unlisted  a number below the newest call the list names (x86_64: tuxcall, aarch64: an
 *             unused number of the architecture's own range): the filter's default, EPERM;
 *   newer     the first call after every one the list names (463, setxattrat in Linux 6.13,
 *             one number on every architecture since 5.1's unified table): ENOSYS, so that a
 *             C library falls back as on an older kernel;
 *   unknown   a number no kernel has: ENOSYS.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static void try_call(const char *kind, long nr) {
  errno = 0;
  long r = syscall(nr, -1L, 0L, 0L, 0L, 0L, 0L);
  printf("%s %ld %ld %d\n", kind, nr, r, r < 0 ? errno : 0);
}

int main(void) {
#if defined(__x86_64__)
  try_call("unlisted", 184);
#elif defined(__aarch64__)
  try_call("unlisted", 244);
#endif
  try_call("newer", 463);
  try_call("unknown", 1000);
  return 0;
}
