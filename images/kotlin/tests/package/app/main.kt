package app

import app.text.phrase

fun main() {
    println(phrase())
}
