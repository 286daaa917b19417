fun main() {
    val total = generateSequence(::readLine).flatMap { it.split(" ").asSequence() }.filter { it.isNotBlank() }.sumOf { it.toLong() }
    println(total)
}
