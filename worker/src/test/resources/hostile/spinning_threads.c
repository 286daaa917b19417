/* Nine threads spin forever: they share the stage's cpu time, which the sandbox counts together. */
#include <pthread.h>

static void *spin(void *arg) {
  (void)arg;
  for (;;) {
  }
  return 0;
}

int main(void) {
  pthread_t t[8];
  for (int i = 0; i < 8; i++) {
    pthread_create(&t[i], 0, spin, 0);
  }
  spin(0);
}
