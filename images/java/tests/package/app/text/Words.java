package app.text;

public class Words {
    public static String phrase() {
        return "from a package";
    }
}
