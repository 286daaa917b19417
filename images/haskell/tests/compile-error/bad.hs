main :: IO ()
main = putStrLn undefinedName
