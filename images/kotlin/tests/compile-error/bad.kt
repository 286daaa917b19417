fun main() {
    println(undefinedName)
}
