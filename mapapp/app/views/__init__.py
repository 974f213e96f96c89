"""The app's pages: thin functions that read widgets, call pure code and show results."""
