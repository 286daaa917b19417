local total = 0
for n in io.read("a"):gmatch("%S+") do
  total = total + tonumber(n)
end
print(total)
