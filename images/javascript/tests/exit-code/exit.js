console.log("exiting with 3");
process.exitCode = 3;
