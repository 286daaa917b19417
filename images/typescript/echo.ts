// Copies standard input to standard output byte for byte.
const input: NodeJS.ReadStream = process.stdin;
input.pipe(process.stdout);
