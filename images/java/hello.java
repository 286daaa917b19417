// Not public: a public class must live in a file of its name, and this file is
// run both as Main.java (the default) and as hello.java.
class Main {
    public static void main(String[] args) {
        System.out.println("Hello, world!");
    }
}
