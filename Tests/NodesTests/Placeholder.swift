import Testing

// NodesTests: tests arrive with the code they pin.
