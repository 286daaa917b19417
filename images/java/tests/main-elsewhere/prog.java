// the class with main is not named after the file
class Helper {
    static String text() {
        return "main found";
    }
}

class Solution {
    public static void main(String[] args) {
        System.out.println(Helper.text());
    }
}
