"""One module per resource: `api` holds its JSON endpoints under /api/, `pages` the HTML twins."""
