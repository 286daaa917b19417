import { phrase } from "./words";

console.log(phrase());
