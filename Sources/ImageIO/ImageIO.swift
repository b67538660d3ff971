// ImageIO: filled in by its issue.
enum ImageIOModule {}
