// Fixtures: filled in by its issue.
enum FixturesModule {}
