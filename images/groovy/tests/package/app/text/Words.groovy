package app.text

class Words {
    static String phrase() {
        "from a package"
    }
}
