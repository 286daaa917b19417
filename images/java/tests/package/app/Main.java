package app;

import app.text.Words;

public class Main {
    public static void main(String[] args) {
        System.out.println(Words.phrase());
    }
}
