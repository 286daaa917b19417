main :: IO ()
main = putStrLn "entry name works"
