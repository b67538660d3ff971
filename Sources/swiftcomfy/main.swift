// The swiftcomfy command line; subcommands arrive with the foundation issue.
print("swiftcomfy")
