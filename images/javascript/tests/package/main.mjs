import { phrase } from "./words/index.mjs";

console.log(phrase());
