/*
 * Calls getpid through the x32 ABI (the system call number with bit 30 set) of an x86_64
 * process. The sandbox refuses x32 calls. Prints "x32 <result> <errno>" if the call returned.
 * Elsewhere than on x86_64 it prints "not x86_64".
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
#if defined(__x86_64__)
  long r = syscall(0x40000000L | SYS_getpid);
  printf("x32 %ld %d\n", r, r < 0 ? errno : 0);
#else
  printf("not x86_64\n");
#endif
  return 0;
}
