package app.text

fun phrase() = "from a package"
