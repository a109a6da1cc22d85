"""Command-line interface (`igfc`)."""
