import app/words

echo phrase()
