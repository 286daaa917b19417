/* A 1 TiB initialised static array: the compiler, the linker or the loader refuses it. */
static char a[1L << 40] = {1};

int main(void) {
  return a[0];
}
