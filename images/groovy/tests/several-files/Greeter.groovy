class Greeter {
    static String greet(String name) {
        "Hello, ${name}!"
    }
}
