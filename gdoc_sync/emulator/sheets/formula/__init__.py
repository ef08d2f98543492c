"""Formulas: a modest evaluator (arithmetic, comparisons, & and a handful of functions). A formula
it cannot evaluate (IMPORTXML, array literals...) gets no effective value, shown as empty."""
