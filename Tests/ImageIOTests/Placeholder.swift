import Testing

// ImageIOTests: tests arrive with the code they pin.
