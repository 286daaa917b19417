fun main() {
    System.err.println("to stderr")
    println("to stdout")
}
