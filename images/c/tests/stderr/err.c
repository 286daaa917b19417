#include <stdio.h>

int main(void) {
    fputs("to stderr\n", stderr);
    puts("to stdout");
    return 0;
}
