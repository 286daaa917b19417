import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Sum {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        long total = 0;
        String line;
        while ((line = in.readLine()) != null) {
            for (String part : line.trim().split("\\s+")) {
                if (!part.isEmpty()) total += Long.parseLong(part);
            }
        }
        System.out.println(total);
    }
}
