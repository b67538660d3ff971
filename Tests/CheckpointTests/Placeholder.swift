import Testing

// CheckpointTests: tests arrive with the code they pin.
