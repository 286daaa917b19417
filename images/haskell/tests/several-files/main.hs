import Greet (greet)

main :: IO ()
main = putStrLn (greet "files")
