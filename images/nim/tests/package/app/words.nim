proc phrase*(): string = "from a package"
