source ./greet.sh

greet files
