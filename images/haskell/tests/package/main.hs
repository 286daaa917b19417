module Main (main) where

import App.Words (phrase)

main :: IO ()
main = putStrLn phrase
