// Checkpoint: filled in by its issue.
enum CheckpointModule {}
