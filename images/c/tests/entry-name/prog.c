#include <stdio.h>

int main(void) {
    puts("entry name works");
    return 0;
}
