print("never printed"
