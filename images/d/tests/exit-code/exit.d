import std.stdio;

int main() {
    writeln("exiting with 3");
    return 3;
}
