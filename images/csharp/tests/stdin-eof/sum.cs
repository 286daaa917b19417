using System;
using System.Linq;

class Sum {
    static void Main() {
        string input = Console.In.ReadToEnd();
        long total = input.Split((char[]) null, StringSplitOptions.RemoveEmptyEntries).Sum(long.Parse);
        Console.WriteLine(total);
    }
}
