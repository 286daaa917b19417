01 GREETING PIC X(13) VALUE "Hello, files!".
