module app.words;

string phrase() {
    return "from a package";
}
