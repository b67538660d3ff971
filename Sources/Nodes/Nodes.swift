// Nodes: filled in by its issue.
enum NodesModule {}
