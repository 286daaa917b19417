fun main() {
    println("entry name works")
}
