public class Err {
    public static void main(String[] args) {
        System.err.println("to stderr");
        System.out.println("to stdout");
    }
}
