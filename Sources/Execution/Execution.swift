// Execution: filled in by its issue.
enum ExecutionModule {}
