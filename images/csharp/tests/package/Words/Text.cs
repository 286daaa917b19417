namespace App.Words {
    public static class Text {
        public static string Phrase() {
            return "from a package";
        }
    }
}
