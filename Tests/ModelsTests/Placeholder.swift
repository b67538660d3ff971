import Testing

// ModelsTests: tests arrive with the code they pin.
