import Testing

// ExecutionTests: tests arrive with the code they pin.
