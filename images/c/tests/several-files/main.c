#include <stdio.h>
#include "greet.h"

int main(void) {
    char buf[64];
    greet(buf, sizeof buf, "files");
    puts(buf);
    return 0;
}
