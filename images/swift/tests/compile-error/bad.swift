print(undefinedName)
