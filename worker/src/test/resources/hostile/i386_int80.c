/*
 * Calls getpid through the i386 entry (int $0x80) of an x86_64 process. The sandbox refuses
 * 32-bit calls; how depends on the kernel: a filter that kills (SIGSYS), or no IA32 emulation
 * at all (SIGSEGV), or an error code (a negative result). Prints "i386 <result>" only if the
 * call returned. Elsewhere than on x86_64 it prints "not x86_64".
 */
#include <stdio.h>

int main(void) {
#if defined(__x86_64__)
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L /* i386 getpid */) : "memory");
  printf("i386 %ld\n", r);
#else
  printf("not x86_64\n");
#endif
  return 0;
}
