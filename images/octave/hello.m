printf("Hello, world!\n");
