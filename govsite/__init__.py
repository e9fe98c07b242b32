"""govsite: the site model and build driver of a government website group on Pelican."""
