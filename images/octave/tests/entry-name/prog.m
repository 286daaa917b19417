disp("entry name works");
