import std.algorithm, std.conv, std.stdio, std.array;

void main() {
    long total = 0;
    foreach (line; stdin.byLine) {
        foreach (word; line.split) {
            total += word.to!long;
        }
    }
    writeln(total);
}
