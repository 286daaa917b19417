/* Forks forever: the pids limit holds it, the wall limit ends it. */
#include <unistd.h>

int main(void) {
  for (;;) {
    fork();
  }
}
