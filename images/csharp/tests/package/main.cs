using System;
using App.Words;

class Program {
    static void Main() {
        Console.WriteLine(Text.Phrase());
    }
}
