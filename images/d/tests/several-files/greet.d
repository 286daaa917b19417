module greet;

string greetName(string name) {
    return "Hello, " ~ name ~ "!";
}
