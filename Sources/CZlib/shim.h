// zlib (Debian: zlib1g-dev, pulled in by libpng-dev): reads the gzipped CLIP vocabulary.
#include <zlib.h>
