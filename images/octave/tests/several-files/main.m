disp(greet("files"));
