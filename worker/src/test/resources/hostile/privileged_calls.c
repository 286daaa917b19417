/*
 * Calls privileged or attack-surface system calls by number (taken from this architecture's
 * <sys/syscall.h>, so the same file is right on x86_64 and aarch64) with harmless arguments.
 * Prints "<name> <result> <errno>" for each.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TRY(name) try_call(#name, SYS_##name)

static void try_call(const char *name, long nr) {
  errno = 0;
  long r = syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
  printf("%s %ld %d\n", name, r, r < 0 ? errno : 0);
}

int main(void) {
  TRY(ptrace);
  TRY(mount);
  TRY(umount2);
  TRY(unshare);
  TRY(setns);
  TRY(chroot);
  TRY(pivot_root);
  TRY(keyctl);
  TRY(add_key);
  TRY(request_key);
  TRY(io_uring_setup);
  TRY(bpf);
  TRY(perf_event_open);
  TRY(userfaultfd);
  TRY(settimeofday);
  TRY(clock_settime);
  TRY(init_module);
  TRY(kexec_load);
  TRY(process_vm_readv);
  TRY(process_vm_writev);
  TRY(kcmp);
  TRY(move_pages);
  TRY(migrate_pages);
  TRY(mbind);
  TRY(set_mempolicy);
  TRY(process_madvise);
  TRY(open_tree);
  TRY(fsopen);
  TRY(move_mount);
  TRY(swapon);
  TRY(reboot);
  TRY(acct);
  TRY(quotactl);
  TRY(name_to_handle_at);
  TRY(open_by_handle_at);
  TRY(fanotify_init);
  TRY(pidfd_getfd);
  return 0;
}
