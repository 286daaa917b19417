def phrase():
    return "from a package"
