import greet

echo greetName("files")
