disp(words.phrase());
