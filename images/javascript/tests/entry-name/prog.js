console.log("entry name works");
