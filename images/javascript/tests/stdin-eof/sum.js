const input = require("fs").readFileSync(0, "utf8");
const total = input.split(/\s+/).filter(Boolean).reduce((a, b) => a + Number(b), 0);
console.log(total);
