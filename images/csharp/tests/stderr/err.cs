using System;

class Err {
    static void Main() {
        Console.Error.WriteLine("to stderr");
        Console.WriteLine("to stdout");
    }
}
