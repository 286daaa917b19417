/* Makes the compiler read a device that never ends: a compile error, not a hang. */
#include </dev/random>
int main(void) {
  return 0;
}
