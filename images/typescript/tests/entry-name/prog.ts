const text: string = "entry name works";
console.log(text);
