import std.stdio;
import app.words;

void main() {
    writeln(phrase());
}
