/* Allocates and touches 1 MiB at a time until memory runs out (exit 3 if malloc says so first). */
#include <stdlib.h>
#include <string.h>

int main(void) {
  for (;;) {
    char *p = malloc(1 << 20);
    if (!p) {
      return 3;
    }
    memset(p, 1, 1 << 20);
  }
}
