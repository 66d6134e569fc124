"""`retain serve`: a read-only, shareable-only web view for successors."""
