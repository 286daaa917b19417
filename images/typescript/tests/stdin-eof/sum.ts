import * as fs from "fs";

const input: string = fs.readFileSync(0, "utf8");
const total: number = input.split(/\s+/).filter(Boolean).reduce((a, b) => a + Number(b), 0);
console.log(total);
