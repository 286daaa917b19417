import kotlin.system.exitProcess

fun main() {
    println("exiting with 3")
    exitProcess(3)
}
