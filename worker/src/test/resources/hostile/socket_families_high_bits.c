/*
 * Opens the socket families the sandbox refuses (vsock, packet, raw IP, AF_ALG), each with
 * values in the upper half of the 64-bit family and type arguments. The kernel reads these
 * arguments as 32-bit ints, so a filter that compares all 64 bits would let
 * socket(40 | 1 << 32, ...) through as AF_VSOCK. Prints one line per attempt:
 * "<family> <type> <upper bits> refused <errno>" or "... OPENED".
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

struct attempt {
  const char *name;
  long family;
  long type;
  long protocol;
};

int main(void) {
  const struct attempt attempts[] = {
      {"vsock", 40, 1 /* SOCK_STREAM */, 0},
      {"vsock-dgram", 40, 2 /* SOCK_DGRAM */, 0},
      {"packet", 17, 3 /* SOCK_RAW */, 0x0300 /* htons(ETH_P_ALL) */},
      {"raw-ipv4", 2, 3, 1 /* ICMP */},
      {"raw-ipv6", 10, 3, 58 /* ICMPV6 */},
      {"alg", 38, 5 /* SOCK_SEQPACKET */, 0},
  };
  const unsigned long upper[] = {0, 1UL << 32, 0x80000000UL << 32, 0xffffffffUL << 32};
  for (unsigned i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
    for (unsigned j = 0; j < sizeof upper / sizeof upper[0]; j++) {
      for (int where = 0; where < 2; where++) {
        /* the upper bits go into the family, then into the type */
        long family = attempts[i].family | (where == 0 ? (long)upper[j] : 0);
        long type = attempts[i].type | (where == 1 ? (long)upper[j] : 0);
        long fd = syscall(SYS_socket, family, type, attempts[i].protocol);
        if (fd >= 0) {
          printf("%s %s %#lx OPENED\n", attempts[i].name, where == 0 ? "family" : "type", upper[j]);
          close((int)fd);
        } else {
          printf("%s %s %#lx refused %d\n", attempts[i].name, where == 0 ? "family" : "type", upper[j], errno);
        }
      }
    }
  }
  return 0;
}
