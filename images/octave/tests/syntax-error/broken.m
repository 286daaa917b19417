disp(undefined_name);
