import java.io.IOException;

/** Copies standard input to standard output byte for byte. */
class Main {
    public static void main(String[] args) throws IOException {
        System.in.transferTo(System.out);
        System.out.flush();
    }
}
