"""Writing the evaluation: rubric and bands, assignment, scoring, decisions."""
