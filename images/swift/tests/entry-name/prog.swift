print("entry name works")
