fprintf(stderr, "to stderr\n");
disp("to stdout");
