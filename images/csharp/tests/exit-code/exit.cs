using System;

class Exit {
    static int Main() {
        Console.WriteLine("exiting with 3");
        return 3;
    }
}
