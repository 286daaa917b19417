fun main() {
    println(greet("files"))
}
