"""newsgraph watch: follow feeds, sitemaps, home pages and lists of URLs; fetch politely; link live."""
