// Models: filled in by its issue.
enum ModelsModule {}
