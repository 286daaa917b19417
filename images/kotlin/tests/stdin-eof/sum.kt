fun main() {
    val words = generateSequence(::readLine).flatMap { it.split(" ").asSequence() }.filter { it.isNotBlank() }
    println(words.map { it.toLong() }.sum())
}
