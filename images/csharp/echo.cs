using System.IO;

// Copies standard input to standard output byte for byte.
public static class Program
{
    public static void Main()
    {
        using (Stream input = System.Console.OpenStandardInput())
        using (Stream output = System.Console.OpenStandardOutput())
        {
            input.CopyTo(output);
            output.Flush();
        }
    }
}
