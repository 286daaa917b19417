console.log("never printed";
