"""File formats, sample data and generators. Depends on ``models`` only."""
