import std.stdio;

void main() {
    stderr.writeln("to stderr");
    writeln("to stdout");
}
