package App is
end App;
