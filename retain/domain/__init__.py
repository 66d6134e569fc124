"""The domain core: pure rules written once (answers, progress, visibility, gaps, entities)."""
