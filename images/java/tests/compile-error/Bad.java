public class Bad {
    public static void main(String[] args) {
        System.out.println(undefinedName);
    }
}
