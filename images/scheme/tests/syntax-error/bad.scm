(display undefined-name)
