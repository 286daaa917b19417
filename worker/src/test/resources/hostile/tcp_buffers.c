/*
 * Holds data in TCP buffers over the job's own loopback: connects 240 sockets to itself with the
 * largest buffers allowed, never reads, and sends without blocking until the kernel holds TARGET
 * bytes in send and receive buffers (argv[1], default 64 MiB), which it reports as
 * "HELD <bytes>" (exit 0). Socket
 * buffers live in kernel memory, outside the program's own pages. When no socket takes more for
 * two seconds it reports "STUCK <bytes>" and exits 3.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONNECTIONS 240

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  long long target = argc > 1 ? atoll(argv[1]) : 64LL << 20;
  int server = socket(AF_INET, SOCK_STREAM, 0);
  int big = 1 << 24;
  /* accepted sockets take the listener's receive buffer */
  setsockopt(server, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof addr) || listen(server, CONNECTIONS) ||
      getsockname(server, (struct sockaddr *)&addr, &len)) {
    perror("listen");
    return 2;
  }
  int clients[CONNECTIONS], peers[CONNECTIONS];
  for (int i = 0; i < CONNECTIONS; i++) {
    clients[i] = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(clients[i], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    setsockopt(clients[i], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (clients[i] < 0 || connect(clients[i], (struct sockaddr *)&addr, sizeof addr)) {
      perror("connect");
      return 2;
    }
    peers[i] = accept(server, NULL, NULL);
    setsockopt(peers[i], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    fcntl(clients[i], F_SETFL, O_NONBLOCK);
  }
  static char chunk[1 << 16];
  memset(chunk, 'x', sizeof chunk);
  long long held = 0;
  double progress = now();
  while (held < target) {
    int moved = 0;
    for (int i = 0; i < CONNECTIONS && held < target; i++) {
      ssize_t n = send(clients[i], chunk, sizeof chunk, MSG_DONTWAIT);
      if (n > 0) {
        held += n;
        moved = 1;
      }
    }
    if (moved) {
      progress = now();
    } else if (now() - progress > 2) {
      printf("STUCK %lld\n", held);
      return 3;
    } else {
      usleep(1000);
    }
  }
  printf("HELD %lld\n", held);
  return 0;
}
