// Sampling: filled in by its issue.
enum SamplingModule {}
