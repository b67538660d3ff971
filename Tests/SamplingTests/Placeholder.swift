import Testing

// SamplingTests: tests arrive with the code they pin.
