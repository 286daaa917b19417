import app.text.Words

println Words.phrase()
