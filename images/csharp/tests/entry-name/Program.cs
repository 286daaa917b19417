using System;

class Program {
    static void Main() {
        Console.WriteLine("entry name works");
    }
}
