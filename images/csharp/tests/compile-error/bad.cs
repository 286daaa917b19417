using System;

class Bad {
    static void Main() {
        Console.WriteLine(undefinedName);
    }
}
