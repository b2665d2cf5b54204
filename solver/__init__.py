"""CP-SAT models, search strategies, explanation and repair. Depends on ``models`` only."""
