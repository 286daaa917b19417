println("never printed"
