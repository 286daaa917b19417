using System;

class Program {
    static void Main() {
        Console.WriteLine(Greeter.Greet("files"));
    }
}
