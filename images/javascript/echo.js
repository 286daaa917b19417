// Copies standard input to standard output byte for byte.
process.stdin.pipe(process.stdout);
