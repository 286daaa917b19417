module App.Words (phrase) where

phrase :: String
phrase = "from a package"
