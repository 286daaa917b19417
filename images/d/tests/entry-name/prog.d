import std.stdio;

void main() {
    writeln("entry name works");
}
