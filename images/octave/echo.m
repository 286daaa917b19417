data = fread(stdin, Inf, "uint8=>uint8");
fwrite(stdout, data, "uint8");
